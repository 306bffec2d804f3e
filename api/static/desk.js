// The desk's camera: where the browser offers one, a live preview and a button that puts a
// snapshot into the form's file field. Without a camera, the file field (upload) stays.
(function () {
  "use strict";
  const input = document.getElementById("photo");
  const box = document.getElementById("camera");
  const video = document.getElementById("preview");
  const snap = document.getElementById("snap");
  if (!input || !box || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;

  navigator.mediaDevices
    .getUserMedia({ video: { width: 640, height: 480 }, audio: false })
    .then((stream) => {
      video.srcObject = stream;
      box.hidden = false;
      snap.addEventListener("click", () => {
        const canvas = document.createElement("canvas");
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        canvas.getContext("2d").drawImage(video, 0, 0);
        canvas.toBlob(
          (blob) => {
            const files = new DataTransfer();
            files.items.add(new File([blob], "desk.jpg", { type: "image/jpeg" }));
            input.files = files.files;
          },
          "image/jpeg",
          0.92
        );
      });
    })
    .catch(() => {
      /* no camera or no permission: the upload field remains */
    });
})();
