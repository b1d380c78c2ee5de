// The Tell Your Story page in the browser: consent, then a microphone recording (getUserMedia + MediaRecorder),
// then "Create my profile": start a story, upload the recording, poll its status until COMPLETED or FAILED.
const flow = document.getElementById('story-flow');
const apiUrl = flow.dataset.apiUrl;
const $ = (id) => document.getElementById(id);
const pollEveryMs = 250;
const pollDeadlineMs = 120_000;

let recording = null; // { blob, type }
let recorder = null;
let timer = null;

function showProblem(message) {
  $('problem').textContent = message;
  $('problem').hidden = false;
}

$('consent').addEventListener('change', () => {
  $('continue').disabled = !$('consent').checked;
});

$('continue').addEventListener('click', () => {
  if (!$('consent').checked) return;
  $('consent-step').hidden = true;
  $('recorder-step').hidden = false;
  $('start').focus();
});

$('start').addEventListener('click', async () => {
  $('problem').hidden = true;
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (error) {
    showProblem(`Microphone access was blocked (${error.name}: ${error.message}). Allow the microphone for this site and try again.`);
    return;
  }
  const chunks = [];
  recorder = new MediaRecorder(stream);
  recorder.addEventListener('dataavailable', (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  });
  recorder.addEventListener('stop', () => {
    stream.getTracks().forEach((track) => track.stop());
    const type = recorder.mimeType || 'audio/webm';
    recording = { blob: new Blob(chunks, { type }), type };
    $('recording-state').textContent = 'Recording complete';
    $('create').disabled = recording.blob.size === 0;
    $('start').disabled = false;
  });
  const startedAt = performance.now();
  recorder.start(250);
  $('recording-state').textContent = 'Recording...';
  $('timer').textContent = '00:00';
  timer = setInterval(() => {
    const seconds = Math.floor((performance.now() - startedAt) / 1000);
    $('timer').textContent = `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
  }, 200);
  $('start').disabled = true;
  $('stop').disabled = false;
  $('create').disabled = true;
});

$('stop').addEventListener('click', () => {
  clearInterval(timer);
  $('stop').disabled = true;
  recorder?.stop();
});

// `route` names the call without the story's id, so the same failure reads the same in every run.
async function api(path, route, init) {
  const response = await fetch(new URL(path, apiUrl), init);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${route} answered HTTP ${response.status}${body.error ? `: ${body.error}` : ''}`);
  return body;
}

const optional = (id) => $(id).value.trim() || undefined;

$('create').addEventListener('click', async () => {
  if (!recording) return;
  $('create').disabled = true;
  $('problem').hidden = true;
  try {
    $('progress').textContent = 'Starting your story...';
    const age = optional('age');
    const { id } = await api('/api/story/start', '/api/story/start', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ consent: $('consent').checked, name: optional('name'), age: age === undefined ? undefined : Number(age), location: optional('location'), language: optional('language') }),
    });
    $('progress').textContent = 'Uploading your recording...';
    await api(`/api/story/${id}/upload`, '/api/story/:id/upload', { method: 'POST', headers: { 'content-type': recording.type }, body: recording.blob });
    const deadline = Date.now() + pollDeadlineMs;
    for (;;) {
      const job = await api(`/api/story/${id}/status`, '/api/story/:id/status');
      $('progress').textContent = `Transcribing: ${job.status}`;
      if (job.status === 'COMPLETED') return void location.assign(`/profile/${id}`);
      if (job.status === 'FAILED') throw new Error(`The transcription failed: ${job.reason}`);
      if (Date.now() > deadline) throw new Error(`The transcription did not finish within ${pollDeadlineMs / 1000} s (last status ${job.status}).`);
      await new Promise((resolve) => setTimeout(resolve, pollEveryMs));
    }
  } catch (error) {
    showProblem(`We could not create your profile: ${error.message}`);
    $('create').disabled = false;
  }
});
