// Drag-and-drop (and file picker) upload for the import page. Each file goes to the server as its
// own streamed request body, one after another, with progress reported back to the component.
export function init(zone, input, dotnet, url, token) {
  const stop = e => { e.preventDefault(); e.stopPropagation(); };
  let depth = 0;
  zone.addEventListener('dragenter', e => { stop(e); depth++; zone.classList.add('myi-drop--over'); });
  zone.addEventListener('dragover', e => { stop(e); e.dataTransfer.dropEffect = 'copy'; });
  zone.addEventListener('dragleave', e => { stop(e); if (--depth <= 0) { depth = 0; zone.classList.remove('myi-drop--over'); } });
  zone.addEventListener('drop', e => {
    stop(e);
    depth = 0;
    zone.classList.remove('myi-drop--over');
    uploadAll([...(e.dataTransfer?.files ?? [])]);
  });
  zone.addEventListener('click', e => { if (e.target === zone || zone.contains(e.target) && !e.target.closest('label,button,a')) input.click(); });
  zone.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { stop(e); input.click(); } });
  input.addEventListener('change', () => { const files = [...input.files]; input.value = ''; uploadAll(files); });

  let queue = Promise.resolve();
  function uploadAll(files) {
    for (const file of files) {
      dotnet.invokeMethodAsync('OnUploadQueued', file.name, file.size);
      queue = queue.then(() => upload(file));
    }
  }

  function upload(file) {
    return new Promise(resolve => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      xhr.setRequestHeader('RequestVerificationToken', token);
      xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      let last = 0;
      xhr.upload.onprogress = e => {
        const now = Date.now();
        if (now - last > 200 || e.loaded === e.total) {
          last = now;
          dotnet.invokeMethodAsync('OnUploadProgress', file.name, e.loaded, e.lengthComputable ? e.total : file.size);
        }
      };
      xhr.onload = () => { dotnet.invokeMethodAsync('OnUploadDone', file.name, xhr.status, xhr.responseText || ''); resolve(); };
      xhr.onerror = () => { dotnet.invokeMethodAsync('OnUploadDone', file.name, 0, ''); resolve(); };
      xhr.send(file);
    });
  }
}
