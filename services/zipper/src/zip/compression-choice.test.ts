import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseMethod } from './compression-choice.js';

const choose = suite('chooseMethod');

choose('is a function', () => assert.type(chooseMethod, 'function'));

choose('store and deflate modes decide alone', () => {
  assert.is(chooseMethod('a.txt', 'text/plain', 'store'), 'store');
  assert.is(chooseMethod('a.jpg', 'image/jpeg', 'deflate'), 'deflate');
});

const table: [key: string, contentType: string | undefined, method: 'store' | 'deflate'][] = [
  ['a.zip', undefined, 'store'], ['logs/a.gz', undefined, 'store'], ['b.tgz', undefined, 'store'],
  ['c.tar.bz2', undefined, 'store'], ['d.xz', undefined, 'store'], ['e.zst', undefined, 'store'],
  ['f.7z', undefined, 'store'], ['g.rar', undefined, 'store'], ['h.JPG', undefined, 'store'],
  ['i.jpeg', undefined, 'store'], ['j.png', undefined, 'store'], ['k.gif', undefined, 'store'],
  ['l.webp', undefined, 'store'], ['m.heic', undefined, 'store'], ['n.avif', undefined, 'store'],
  ['o.mp3', undefined, 'store'], ['p.mp4', undefined, 'store'], ['q.m4a', undefined, 'store'],
  ['r.mov', undefined, 'store'], ['s.mkv', undefined, 'store'], ['t.webm', undefined, 'store'],
  ['u.ogg', undefined, 'store'], ['v.pdf', undefined, 'store'], ['w.docx', undefined, 'store'],
  ['x.xlsx', undefined, 'store'], ['y.pptx', undefined, 'store'], ['z.odt', undefined, 'store'],
  ['aa.ods', undefined, 'store'], ['ab.jar', undefined, 'store'], ['ac.apk', undefined, 'store'],
  ['ad.woff2', undefined, 'store'],
  ['notes.txt', undefined, 'deflate'], ['data.csv', 'text/csv', 'deflate'], ['app.ts', undefined, 'deflate'],
  ['page.html', 'text/html; charset=utf-8', 'deflate'], ['image.svg', 'image/svg+xml', 'deflate'],
  ['raw.bmp', 'image/bmp', 'deflate'], ['noext', undefined, 'deflate'], ['.gz', undefined, 'deflate'],
  ['dir.zip/readme', undefined, 'deflate'], ['db.json', 'application/json', 'deflate'],
  ['blob', 'image/JPEG', 'store'], ['blob', 'video/quicktime', 'store'], ['blob', 'application/zip', 'store'],
  ['blob', 'application/pdf; qs=0.001', 'store'], ['blob', 'audio/mpeg', 'store'],
  ['blob', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'store'],
  ['blob', 'application/vnd.oasis.opendocument.spreadsheet', 'store'], ['blob', 'application/gzip', 'store'],
  ['blob', 'application/octet-stream', 'deflate'], ['blob', 'text/plain', 'deflate'],
];

choose('auto stores what is compressed already, by extension or content type', () => {
  for (const [key, contentType, method] of table) {
    assert.is(chooseMethod(key, contentType, 'auto'), method, `${key} ${contentType ?? ''}`);
  }
});

choose.run();
