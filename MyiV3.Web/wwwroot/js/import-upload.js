// Drag-and-drop (and file or folder picker) upload for the import page. Each file goes to the server as
// its own streamed request body, one after another, with progress reported back to the component.
// A folder (an export the browser or macOS already unpacked) stands for the history files in it: the
// read-me, Userdata.json and the rest are passed over here, as a ZIP's side files are on the server.
const historyName = /^(Streaming_History|StreamingHistory|endsong).*\.json$/i;
const isHistory = name => !name.startsWith('._') && (historyName.test(name) || /\.zip$/i.test(name));

export function init(zone, input, folderInput, dotnet, url, token) {
  const stop = e => { e.preventDefault(); e.stopPropagation(); };
  // Drops anywhere on the page, and on other pages of the app, come here through drop-anywhere.js.
  const take = drop => {
    if (drop.entries.some(en => en?.isDirectory)) {
      dropped(drop.entries, drop.itemFiles).then(uploadAll);
    } else {
      uploadAll(drop.files);
    }
  };
  window.myiDropTarget = { zone, take };
  zone.addEventListener('click', e => { if (e.target === zone || zone.contains(e.target) && !e.target.closest('label,button,a')) input.click(); });
  zone.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { stop(e); input.click(); } });
  input.addEventListener('change', () => { const files = [...input.files]; input.value = ''; uploadAll(files); });
  folderInput.addEventListener('change', () => {
    const files = [...folderInput.files];
    folderInput.value = '';
    const folder = (files[0]?.webkitRelativePath ?? '').split('/')[0] || 'the folder';
    uploadFolder(folder, files);
  });

  async function dropped(entries, itemFiles) {
    const files = [];
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (entry?.isDirectory) {
        const inside = await filesIn(entry);
        if (!inside.some(f => isHistory(f.name))) {
          dotnet.invokeMethodAsync('OnFolderWithoutHistory', entry.name);
        }
        files.push(...inside.filter(f => isHistory(f.name)));
      } else {
        if (itemFiles[i]) files.push(itemFiles[i]);
      }
    }
    return files;
  }

  async function filesIn(directory) {
    const files = [];
    const reader = directory.createReader();
    // readEntries hands out a folder's entries in chunks until it returns none.
    for (let chunk = await read(reader); chunk.length > 0; chunk = await read(reader)) {
      for (const entry of chunk) {
        if (entry.isDirectory) files.push(...await filesIn(entry));
        else files.push(await new Promise((resolve, reject) => entry.file(resolve, reject)));
      }
    }
    return files;
  }

  const read = reader => new Promise((resolve, reject) => reader.readEntries(resolve, reject));

  function uploadFolder(folder, files) {
    const history = files.filter(f => isHistory(f.name));
    if (history.length === 0) dotnet.invokeMethodAsync('OnFolderWithoutHistory', folder);
    uploadAll(history);
  }

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

  // Dropped on another page, or here before this script was on.
  const pending = window.myiPendingDrop;
  window.myiPendingDrop = undefined;
  if (pending) take(pending);

  // Until now a file chosen was lost when the prerendered page was replaced by the live one (drops
  // waited in myiPendingDrop); the attribute says the handlers are on, and app.css enables the pickers.
  zone.dataset.ready = 'true';
}

// Only this zone's own registration: a page rendered in the meantime may already have put its own there.
export function dispose(zone) {
  if (window.myiDropTarget?.zone === zone) {
    window.myiDropTarget = undefined;
  }
}
