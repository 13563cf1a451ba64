// Behaviour shared by every page. No inline scripts anywhere: the Content Security Policy forbids them.
document.addEventListener("DOMContentLoaded", function () {
  // Selects that submit their form on change (the year selector); their button is then not needed.
  // A change made with the arrow keys waits for Enter or the form's button: browsing the options
  // from the keyboard must not switch the year at every key (WCAG 3.2.2, On Input).
  document.querySelectorAll("[data-autosubmit]").forEach(function (element) {
    var byKeyboard = false;
    var shown = element.value;
    element.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        if (element.value !== shown) {
          element.form.submit();
        }
      } else {
        byKeyboard = true;
      }
    });
    element.addEventListener("pointerdown", function () {
      byKeyboard = false;
    });
    element.addEventListener("change", function () {
      if (!byKeyboard) {
        element.form.submit();
        return;
      }
      // the form's own button, hidden while the select submits by itself, is offered again
      element.form.querySelectorAll("[data-autosubmit-hide]").forEach(function (button) {
        button.hidden = element.value === shown;
      });
    });
  });
  document.querySelectorAll("[data-autosubmit-hide]").forEach(function (element) {
    element.hidden = true;
  });

  // Buttons that ask before doing something that cannot be undone.
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });

  // File uploads that show their progress: large attendee lists take a while on slow networks.
  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) {
        return;
      }
      event.preventDefault();
      var box = form.querySelector("[data-progress]");
      var bar = form.querySelector("[data-progress-bar]");
      box.hidden = false;
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          var percent = Math.round((progress.loaded / progress.total) * 100);
          bar.style.width = percent + "%";
          bar.textContent = percent + "%";
        }
      });
      request.addEventListener("load", function () {
        window.history.replaceState(null, "", request.responseURL);
        document.open();
        document.write(request.responseText);
        document.close();
      });
      request.addEventListener("error", function () {
        form.submit();
      });
      request.send(new FormData(form));
    });
  });
});

// The scoring page's running total while typing. It mirrors assessment/scoring.py for a preview;
// the server recomputes everything on save, so this never decides a score. An item counts as
// unscored until something is entered: direct points, or at least one deduction count (a blank
// count beside an entered one is 0). An entry out of range is flagged at once and not counted.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("[data-score-form]");
  var panel = document.querySelector("[data-live-score]");
  if (!form || !panel) {
    return;
  }
  var POINTS = /^\d+(\.\d{1,2})?$/;
  var COUNT = /^\d+$/;
  function hundredths(text) {
    return Math.round(parseFloat(text) * 100);
  }
  // null: blank; NaN: not acceptable; else the value (hundredths for points, a count otherwise)
  function read(input, pattern, max) {
    var text = input.value.trim();
    if (text === "") {
      return input.validity && input.validity.badInput ? NaN : null;
    }
    if (!pattern.test(text)) {
      return NaN;
    }
    var value = pattern === POINTS ? hundredths(text) : parseInt(text, 10);
    return value > max ? NaN : value;
  }
  function flag(input, bad) {
    input.classList.toggle("is-invalid", bad);
    input.setAttribute("aria-invalid", bad ? "true" : "false");
    var note = input.parentNode.querySelector("[data-live-error]");
    // the server's message for the field, when the form came back with one: shown instead of
    // a second, live one, until the entry it refers to is changed into an acceptable one (the
    // server checks more than this page does, such as the half-point step)
    var served = input.parentNode.querySelector(".invalid-feedback:not([data-live-error])");
    if (served) {
      served.classList.toggle("d-none", !bad && input.value !== input.defaultValue);
      return;
    }
    if (bad && !note) {
      note = document.createElement("div");
      note.className = "invalid-feedback d-block";
      note.setAttribute("data-live-error", "");
      note.textContent = input.dataset.rangeMessage || "";
      input.insertAdjacentElement("afterend", note);
    } else if (!bad && note) {
      note.remove();
    }
  }
  function snapshot() {
    return Array.prototype.map
      .call(form.elements, function (element) {
        return element.name + "=" + (element.type === "checkbox" ? element.checked : element.value);
      })
      .join("&");
  }
  // a form sent back with errors holds entries that were not stored
  var saved = form.hasAttribute("data-unsaved") ? null : snapshot();
  function show(selector, visible) {
    panel.querySelector(selector).hidden = !visible;
  }
  function update() {
    var earned = 0;
    var possible = 0;
    var unscored = 0;
    var invalid = 0;
    var vetoed = false;
    form.querySelectorAll("[data-item]").forEach(function (row) {
      var na = row.querySelector("[data-na]");
      var counts = row.querySelectorAll("[data-deduction]");
      var points = row.querySelector("[data-points]");
      var max = hundredths(row.dataset.max);
      var bad = false;
      var entered = false;
      var lost = 0;
      counts.forEach(function (input) {
        var count = read(input, COUNT, parseInt(input.max, 10) || 9999);
        var wrong = !na || !na.checked ? Number.isNaN(count) : false;
        flag(input, wrong);
        bad = bad || wrong;
        if (count !== null && !Number.isNaN(count)) {
          entered = true;
          lost += count * hundredths(input.dataset.deduction);
        }
      });
      var given = null;
      if (points) {
        given = read(points, POINTS, max);
        var wrong = !na || !na.checked ? Number.isNaN(given) : false;
        flag(points, wrong);
        bad = bad || wrong;
      }
      if (na && na.checked) {
        return;
      }
      var veto = row.querySelector("[data-veto]");
      if (veto && veto.checked) {
        vetoed = true;
      }
      possible += max;
      if (bad) {
        invalid += 1;
      } else if (counts.length) {
        if (entered) {
          earned += Math.max(0, max - lost);
        } else {
          unscored += 1;
        }
      } else if (points) {
        if (given === null) {
          unscored += 1;
        } else {
          earned += given;
        }
      }
    });
    panel.querySelector("[data-live-earned]").textContent = (earned / 100).toFixed(2);
    panel.querySelector("[data-live-possible]").textContent = (possible / 100).toFixed(2);
    var percentage = vetoed ? 0 : possible ? (earned * 100) / possible : null;
    panel.querySelector("[data-live-percentage]").textContent =
      percentage === null ? "—" : (Math.round(percentage * 100 + 1e-9) / 100).toFixed(2) + "%";
    panel.querySelector("[data-live-unscored]").textContent = unscored;
    show("[data-live-unscored-box]", unscored > 0);
    panel.querySelector("[data-live-invalid]").textContent = invalid;
    show("[data-live-invalid-box]", invalid > 0);
    show("[data-live-veto]", vetoed);
    var dirty = snapshot() !== saved;
    show("[data-live-clean]", !dirty);
    show("[data-live-dirty]", dirty);
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
});

// The unit picker (core/widgets.py UnitPicker): search by name, short name or code, and
// "select all" / "clear" per category. Without JavaScript it is a plain list of checkboxes.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-unit-picker]").forEach(function (picker) {
    var search = picker.querySelector("[data-picker-search]");
    var count = picker.querySelector("[data-picker-count]");
    var boxes = picker.querySelectorAll("input[type=checkbox]");
    function visibleOptions(group) {
      return Array.prototype.filter.call(
        group.querySelectorAll("[data-picker-option]"),
        function (option) {
          return !option.hidden;
        }
      );
    }
    function showCount() {
      var chosen = Array.prototype.filter.call(boxes, function (box) {
        return box.checked;
      }).length;
      count.textContent = count.dataset.template
        ? count.dataset.template.replace("{count}", chosen)
        : chosen + " / " + boxes.length;
    }
    search.hidden = false;
    picker.querySelectorAll("[data-picker-all], [data-picker-none]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var checked = button.hasAttribute("data-picker-all");
        visibleOptions(button.closest("[data-picker-group]")).forEach(function (option) {
          option.querySelector("input").checked = checked;
        });
        showCount();
      });
    });
    search.addEventListener("input", function () {
      var query = search.value.trim().toLowerCase();
      picker.querySelectorAll("[data-picker-group]").forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("[data-picker-option]").forEach(function (option) {
          option.hidden = query !== "" && option.dataset.search.toLowerCase().indexOf(query) === -1;
          shown += option.hidden ? 0 : 1;
        });
        group.hidden = shown === 0;
      });
    });
    picker.addEventListener("change", showCount);
    showCount();
  });
});
