// Tag autocomplete for the posting form's comma-separated tag fields (progressive enhancement:
// without this script the fields are plain text inputs and the form works the same).
// ARIA 1.2 combobox pattern: the input is the combobox, suggestions a listbox, the active option
// named by aria-activedescendant; arrows move, Enter or a click picks, Escape closes.
(function () {
  'use strict';
  var FIELDS = { fandoms: 'fandom', relationships: 'relationship', characters: 'character', freeforms: 'freeform' };
  var counter = 0;

  function lastTerm(value) {
    var parts = value.split(',');
    return parts[parts.length - 1].trim();
  }

  function enhance(input, type) {
    var id = 'ac-' + type + '-' + ++counter;
    var wrapper = document.createElement('div');
    wrapper.className = 'autocomplete';
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    var list = document.createElement('ul');
    list.id = id + '-list';
    list.className = 'autocomplete-list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Suggestions');
    list.hidden = true;
    wrapper.appendChild(list);
    var status = document.createElement('p');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    wrapper.appendChild(status);

    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('autocomplete', 'off');

    var items = [];
    var active = -1;
    var timer = 0;
    var sequence = 0;

    function close() {
      list.hidden = true;
      list.textContent = '';
      items = [];
      active = -1;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
    }

    function setActive(index) {
      var options = list.children;
      for (var i = 0; i < options.length; i++) options[i].setAttribute('aria-selected', i === index ? 'true' : 'false');
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute('aria-activedescendant', options[index].id);
        options[index].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function choose(index) {
      var item = items[index];
      if (!item) return;
      var parts = input.value.split(',');
      parts[parts.length - 1] = (parts.length > 1 ? ' ' : '') + item.insert;
      input.value = parts.join(',') + ', ';
      close();
      input.focus();
    }

    function render(found) {
      items = found;
      list.textContent = '';
      found.forEach(function (item, i) {
        var option = document.createElement('li');
        option.id = id + '-option-' + i;
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', 'false');
        option.textContent = item.synonymOf ? item.name + ' → ' + item.synonymOf : item.name;
        if (item.canonical) option.className = 'canonical';
        option.addEventListener('mousedown', function (event) {
          event.preventDefault(); // keep focus in the input
          choose(i);
        });
        list.appendChild(option);
      });
      list.hidden = found.length === 0;
      input.setAttribute('aria-expanded', found.length > 0 ? 'true' : 'false');
      active = -1;
      input.removeAttribute('aria-activedescendant');
      status.textContent = found.length === 0 ? '' : found.length + (found.length === 1 ? ' suggestion' : ' suggestions') + '. Use up and down arrows to choose.';
    }

    function lookUp() {
      var term = lastTerm(input.value);
      if (term.length === 0) return close();
      var mine = ++sequence;
      fetch('/autocomplete/tags?type=' + encodeURIComponent(type) + '&term=' + encodeURIComponent(term), {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (found) {
          if (mine === sequence && document.activeElement === input) render(Array.isArray(found) ? found : []);
        })
        .catch(function () {
          /* suggestions are a convenience; typing still works */
        });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 150);
    });
    input.addEventListener('keydown', function (event) {
      if (list.hidden) {
        if (event.key === 'ArrowDown' && lastTerm(input.value)) lookUp();
        return;
      }
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        setActive(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === 'ArrowUp') {
        event.preventDefault();
        setActive(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === 'Enter' && active >= 0) {
        event.preventDefault(); // pick the suggestion, do not submit the form
        choose(active);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        close();
      } else if (event.key === 'Tab') {
        close();
      }
    });
    input.addEventListener('blur', function () {
      setTimeout(close, 100);
    });
  }

  Object.keys(FIELDS).forEach(function (name) {
    var inputs = document.querySelectorAll('form.work-form input[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i++) enhance(inputs[i], FIELDS[name]);
  });
})();
