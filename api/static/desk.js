// The desk's camera: where the browser offers one, a live preview and a button that puts a
// snapshot into the form's file field, shown beside it. Without a camera, the file field
// (upload) stays.
(function () {
  "use strict";
  const input = document.getElementById("photo");
  const box = document.getElementById("camera");
  const video = document.getElementById("preview");
  const snap = document.getElementById("snap");
  const shot = document.getElementById("snapshot");
  if (!input || !box || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;

  function take() {
    // Before the first frame the video has no size, and a 0x0 canvas gives no image.
    if (!video.videoWidth || !video.videoHeight) return;
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    canvas.toBlob(
      (blob) => {
        if (!blob) return;
        const files = new DataTransfer();
        files.items.add(new File([blob], "desk.jpg", { type: "image/jpeg" }));
        input.files = files.files;
        if (shot) {
          if (shot.src) URL.revokeObjectURL(shot.src);
          shot.src = URL.createObjectURL(blob);
          shot.hidden = false;
        }
      },
      "image/jpeg",
      0.92
    );
  }

  navigator.mediaDevices
    .getUserMedia({ video: { width: 640, height: 480 }, audio: false })
    .then((stream) => {
      video.srcObject = stream;
      snap.addEventListener("click", take);
      // Offer the button once frames arrive.
      video.addEventListener("loadeddata", () => { box.hidden = false; }, { once: true });
    })
    .catch(() => {
      /* no camera or no permission: the upload field remains */
    });
})();
