// Saves a signed-in reader's place in a work as they scroll (throttled), and on arriving at
// #position-N scrolls to that paragraph. Loaded only on work pages, only for signed-in readers
// (src/reading-position). Without it, the "Remember my place here" button does the same.
(function () {
  'use strict';
  var root = document.getElementById('reading-position');
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (!root || !meta || !window.fetch) return;
  var saveUrl = root.getAttribute('data-save-url');
  var ids = (root.getAttribute('data-chapter-ids') || '').split(',').map(Number);
  var token = meta.getAttribute('content') || '';

  function sections() {
    return Array.prototype.slice.call(document.querySelectorAll('section.chapter[id^="chapter-"]'));
  }

  function chapterIdOf(section) {
    var position = Number(section.id.slice('chapter-'.length));
    return ids[position - 1];
  }

  function paragraphsOf(section) {
    return section.querySelectorAll('.chapter-text > p');
  }

  // The first paragraph whose bottom is below the top of the window: where the reader is.
  function currentPlace() {
    var all = sections();
    for (var s = 0; s < all.length; s++) {
      var paragraphs = paragraphsOf(all[s]);
      for (var i = 0; i < paragraphs.length; i++) {
        if (paragraphs[i].getBoundingClientRect().bottom > 0) {
          var chapterId = chapterIdOf(all[s]);
          if (!chapterId) return null;
          var scrollable = document.documentElement.scrollHeight - window.innerHeight;
          var fraction = scrollable > 0 ? Math.min(1, Math.max(0, window.scrollY / scrollable)) : 0;
          return { chapter_id: chapterId, paragraph: i + 1, fraction: Math.round(fraction * 1000) / 1000 };
        }
      }
    }
    return null;
  }

  var lastSent = '';
  var timer = null;
  function save() {
    timer = null;
    var place = currentPlace();
    if (!place) return;
    var key = place.chapter_id + ':' + place.paragraph;
    if (key === lastSent) return;
    lastSent = key;
    fetch(saveUrl, {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: true,
      headers: { 'content-type': 'application/json', 'x-csrf-token': token },
      body: JSON.stringify(place),
    }).catch(function () {
      lastSent = '';
    });
  }

  function arrive() {
    var match = /^#position-(\d+)$/.exec(window.location.hash);
    var all = sections();
    if (!match || all.length === 0) return;
    var paragraph = paragraphsOf(all[0])[Number(match[1]) - 1];
    if (paragraph) paragraph.scrollIntoView({ block: 'start' });
    lastSent = '';
  }

  arrive();
  window.addEventListener('scroll', function () {
    if (timer === null) timer = window.setTimeout(save, 1500);
  }, { passive: true });
  window.addEventListener('pagehide', save);
})();
