// The HTML of the demo frontend. Every piece of user or backend text goes through escapeHtml.

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function layout(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;
}

export function homePage(): string {
  return layout('Tell Your Story demo', `<h1>Tell Your Story demo</h1>
<p>Share a short story with us.</p>
<p><a href="/tell-your-story">Tell Your Story</a></p>`);
}

/** With `broken` (fault page-broken) the heading renders but the form is missing, as after a bad deploy. */
export function storyFormPage(options: { broken?: boolean; name?: string; story?: string; alert?: string } = {}): string {
  const alert = options.alert === undefined ? '' : `<p role="alert">We could not save your story: ${escapeHtml(options.alert)}</p>\n`;
  const form = options.broken ? '' : `<form method="post" action="/tell-your-story">
<p><label for="name">Your name</label><input id="name" name="name" required maxlength="200" value="${escapeHtml(options.name ?? '')}"></p>
<p><label for="story">Your story</label><textarea id="story" name="story" required maxlength="10000">${escapeHtml(options.story ?? '')}</textarea></p>
<p><button type="submit">Share my story</button></p>
</form>`;
  return layout('Tell Your Story', `<h1>Tell Your Story</h1>\n${alert}${form}`);
}

export function thankYouPage(id: string): string {
  return layout('Thank you', `<h1>Thank you</h1>
<p role="status">Your story was saved with id <code data-testid="story-id">${escapeHtml(id)}</code></p>
<p><a href="/tell-your-story">Tell another story</a></p>`);
}

export function notFoundPage(path: string): string {
  return layout('Not found', `<h1>Not found</h1>
<p>There is no page at <code>${escapeHtml(path)}</code>. <a href="/">Home</a></p>`);
}
