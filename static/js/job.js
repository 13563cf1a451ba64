// The progress of a background job (templates/core/job.html): asks the server every second
// until the job has finished, then shows its result.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-job]");
  if (!box) {
    return;
  }
  var bar = box.querySelector("[data-job-bar]");
  var label = box.querySelector("[data-job-label]");
  var progress = box.querySelector("[role=progressbar]");

  function show(state) {
    bar.style.width = state.percent + "%";
    bar.textContent = state.percent + "%";
    progress.setAttribute("aria-valuenow", state.percent);
    label.textContent = state.label;
    if (state.finished) {
      box.querySelector("[data-job-running]").hidden = true;
      box.querySelector("[data-job-done]").hidden = state.status !== "done";
      box.querySelector("[data-job-download]").hidden = !state.download;
      var message = box.querySelector("[data-job-message]");
      message.textContent = state.message;
      message.hidden = !state.message;
      box.querySelector("[data-job-failed]").hidden =
        state.status !== "failed" || Boolean(state.message);
      var back = box.querySelector("[data-job-back]");
      if (back) {
        back.hidden = state.status !== "failed";
      }
      if (state.status === "failed") {
        bar.classList.add("bg-danger");
        message.classList.add("text-danger");
      }
    }
  }

  show({
    percent: Number(bar.dataset.percent),
    label: label.textContent,
    finished: false,
  });
  if (!box.querySelector("[data-job-running]").hidden) {
    var timer = window.setInterval(function () {
      fetch(box.dataset.job, { credentials: "same-origin" })
        .then(function (response) {
          return response.json();
        })
        .then(function (state) {
          show(state);
          if (state.finished) {
            window.clearInterval(timer);
          }
        });
    }, 1000);
  }
});
