// Click-to-load players (src/works/text/reader-embeds.ts makes the placeholders). Nothing from a
// player's host is requested until the reader presses "Play here": the placeholder holds only a
// link and the player's description, and this script builds the <iframe> (sandboxed), <audio> or
// <video> from that description on the click. Without JavaScript the link opens the media on its
// host. The Content-Security-Policy's frame-src and media-src admit only the embed hosts.
(function () {
  var holders = document.querySelectorAll('.embed[data-embed]');
  var HTTPS = /^https:\/\//;
  var SIZE = /^\d{1,5}%?$/;

  function setSize(el, data) {
    if (data.width && SIZE.test(data.width)) el.setAttribute('width', data.width);
    if (data.height && SIZE.test(data.height)) el.setAttribute('height', data.height);
  }

  function buildFrame(data) {
    var frame = document.createElement('iframe');
    // Scripts and the host's own storage run inside the frame (players need them) but as the
    // host's origin, never ours; no top navigation, no forms.
    frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-presentation allow-popups allow-popups-to-escape-sandbox');
    frame.setAttribute('allow', 'fullscreen; picture-in-picture; encrypted-media');
    frame.setAttribute('allowfullscreen', '');
    // The site sends no Referer; players (YouTube's among them) refuse to play without the origin.
    frame.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
    frame.setAttribute('title', data.title || 'Player');
    setSize(frame, data);
    frame.src = data.src;
    return frame;
  }

  function buildMedia(data) {
    var media = document.createElement(data.kind === 'audio' ? 'audio' : 'video');
    media.controls = true;
    media.preload = 'metadata';
    if (data.loop) media.loop = true;
    if (data.muted) media.muted = true;
    if (data.title) media.setAttribute('title', data.title);
    if (data.kind === 'video') {
      setSize(media, data);
      media.setAttribute('playsinline', '');
      if (data.poster && HTTPS.test(data.poster)) media.poster = data.poster;
    }
    (data.sources || []).forEach(function (s) {
      if (!HTTPS.test(s.src)) return;
      var source = document.createElement('source');
      source.src = s.src;
      if (s.type) source.type = s.type;
      media.appendChild(source);
    });
    (data.tracks || []).forEach(function (t) {
      if (!HTTPS.test(t.src)) return;
      var track = document.createElement('track');
      track.src = t.src;
      if (t.kind) track.kind = t.kind;
      if (t.label) track.label = t.label;
      if (t.srclang) track.srclang = t.srclang;
      if (t.default) track.default = true;
      media.appendChild(track);
    });
    if (data.src && HTTPS.test(data.src)) media.src = data.src;
    return media;
  }

  function play(holder, data) {
    var player = data.kind === 'frame' ? buildFrame(data) : buildMedia(data);
    holder.classList.add('embed-loaded');
    var title = holder.querySelector('.embed-title');
    var link = holder.querySelector('.embed-link');
    holder.textContent = '';
    if (title) holder.appendChild(title);
    holder.appendChild(player);
    if (link) holder.appendChild(link);
    player.setAttribute('tabindex', '-1');
    player.focus();
    if (data.kind !== 'frame') player.play && player.play().catch(function () {});
  }

  for (var i = 0; i < holders.length; i++) {
    (function (holder) {
      // Each block of text with players brings this script; bind each placeholder once.
      if (holder.hasAttribute('data-embed-ready')) return;
      holder.setAttribute('data-embed-ready', '');
      var button = holder.querySelector('.embed-play');
      var data;
      try {
        data = JSON.parse(holder.getAttribute('data-embed'));
      } catch (e) {
        return;
      }
      var src = data.src || (data.sources && data.sources[0] && data.sources[0].src);
      if (!button || !src || !HTTPS.test(src)) return;
      button.hidden = false;
      button.addEventListener('click', function () {
        play(holder, data);
      });
    })(holders[i]);
  }
})();
