// Progressive enhancement for paragraph comments (src/comments): puts each paragraph's comment
// count beside it on the chapter page, linking to that paragraph's comments. Without
// JavaScript the same links are listed under "Comments" and on the paragraph view.
(function () {
  var list = document.querySelector('[data-paragraph-counts]');
  var text = document.querySelector('.chapter-text');
  if (!list || !text) return;
  var paragraphs = [];
  for (var i = 0; i < text.children.length; i++) {
    if (text.children[i].tagName === 'P') paragraphs.push(text.children[i]);
  }
  var items = list.querySelectorAll('a[data-paragraph]');
  for (var j = 0; j < items.length; j++) {
    var n = Number(items[j].getAttribute('data-paragraph'));
    var p = paragraphs[n - 1];
    if (!p) continue;
    var badge = document.createElement('a');
    badge.className = 'paragraph-count';
    badge.href = items[j].getAttribute('href');
    badge.textContent = items[j].getAttribute('data-count');
    badge.setAttribute('aria-label', items[j].textContent);
    p.appendChild(document.createTextNode(' '));
    p.appendChild(badge);
  }
})();
