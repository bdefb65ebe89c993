// Progressive enhancement for the "Proposed by Fanfold" panel (src/story-intelligence): while
// Fanfold is still reading the story, asks every few seconds whether it is done and reloads the
// page when it is, or when reading failed (the page then offers "Try again"). Without JavaScript,
// refreshing the page shows the proposals.
(function () {
  var box = document.querySelector('[data-analysis-status]');
  if (!box || !window.fetch) return;
  var url = box.getAttribute('data-analysis-status');
  var tries = 0;
  function poll() {
    if (++tries > 40) return;
    fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : { ready: false }; })
      .then(function (status) {
        if (status && (status.ready || status.failed)) window.location.reload();
        else setTimeout(poll, 3000);
      })
      .catch(function () { setTimeout(poll, 6000); });
  }
  setTimeout(poll, 1500);
})();
