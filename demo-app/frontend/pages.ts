// The HTML of the demo frontend. Every piece of user or backend text goes through escapeHtml.
import type { StoryProfile } from './backend-client.ts';

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function layout(title: string, main: string, script = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>[hidden]{display:none!important} body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}</style>
</head>
<body>
<main>
${main}
</main>${script ? `\n<script type="module" src="${script}"></script>` : ''}
</body>
</html>
`;
}

export function homePage(): string {
  return layout('Tell Your Story', `<h1>Tell Your Story</h1>
<p>Record your story in your own voice; we make it a profile you can share.</p>
<p><a href="/tell-your-story">Press to tell your story</a></p>`);
}

/** The consent step and the recorder; /recorder.js drives them against the backend at `apiUrl`. */
export function tellYourStoryPage(apiUrl: string): string {
  return layout('Tell Your Story', `<h1>Tell Your Story</h1>
<div id="story-flow" data-api-url="${escapeHtml(apiUrl)}">
<section id="consent-step" aria-labelledby="consent-heading">
<h2 id="consent-heading">Before we begin</h2>
<p>Tell us a little about yourself (all optional).</p>
<p><label for="name">Name</label> <input id="name" name="name" maxlength="200" autocomplete="name"></p>
<p><label for="age">Age</label> <input id="age" name="age" type="number" min="1" max="130"></p>
<p><label for="location">Location</label> <input id="location" name="location" maxlength="200"></p>
<p><label for="language">Language</label> <input id="language" name="language" maxlength="50"></p>
<p><input id="consent" name="consent" type="checkbox"> <label for="consent">I agree that my voice is recorded and my story is published on a profile page</label></p>
<p><button type="button" id="continue" disabled>Continue to recording</button></p>
</section>
<section id="recorder-step" aria-labelledby="recorder-heading" hidden>
<h2 id="recorder-heading">Record your story</h2>
<p><span id="timer" role="timer" aria-label="Recording time">00:00</span> <span id="recording-state" aria-live="polite"></span></p>
<p><button type="button" id="start">Start recording</button> <button type="button" id="stop" disabled>Stop</button></p>
<p><button type="button" id="create" disabled>Create my profile</button></p>
<p id="progress" role="status" aria-live="polite"></p>
</section>
<p id="problem" role="alert" hidden></p>
</div>`, '/recorder.js');
}

export function profilePage(profile: StoryProfile, publicUrl: string, qrCodeSvg: string): string {
  const about = [profile.name, profile.age === undefined ? undefined : `${profile.age}`, profile.location, profile.language].filter(Boolean).join(' · ');
  return layout(`${profile.name ?? 'A story'}: profile`, `<h1>${escapeHtml(profile.name ? `${profile.name}'s story` : 'A story')}</h1>
${about ? `<p>${escapeHtml(about)}</p>\n` : ''}<h2>Transcript</h2>
<blockquote data-testid="transcript">${escapeHtml(profile.transcript ?? '')}</blockquote>
<h2>Share this profile</h2>
<figure>
<div data-testid="profile-qr" role="img" aria-label="QR code of this profile's address" style="display:inline-block;background:#fff">${qrCodeSvg}</div>
<figcaption><a href="${escapeHtml(publicUrl)}" data-testid="public-url">${escapeHtml(publicUrl)}</a></figcaption>
</figure>`);
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>
<p role="alert">${escapeHtml(message)}</p>
<p><a href="/">Home</a></p>`);
}
