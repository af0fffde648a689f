// The physical limit: node:http answering every request with the scenarios' fixed bytes,
// written the way standin writes them (writeHead, then end). A second server on the control
// port sets the body to answer with (the 500 KB scenario), so the measured handler stays bare.
//   node bareServer.js PORT CONTROL_PORT
import http from 'node:http';

const port = Number(process.argv[2]);
const controlPort = Number(process.argv[3]);
const headers = ['Connection', 'keep-alive', 'Content-Type', 'text/plain'];
let body = Buffer.from('hello');

http
  .createServer((req, res) => {
    req.resume();
    res.writeHead(200, headers);
    res.end(body);
  })
  .listen(port, '127.0.0.1');

if (controlPort) {
  http
    .createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        body = Buffer.concat(chunks);
        res.end();
      });
    })
    .listen(controlPort, '127.0.0.1');
}
