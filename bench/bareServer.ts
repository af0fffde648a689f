// The physical limit: node:http answering every request with the scenarios' fixed bytes,
// written the way standin writes them (writeHead, then end).
import http from 'node:http';

const port = Number(process.argv[2]);
const headers = ['Connection', 'keep-alive', 'Content-Type', 'text/plain'];
http
  .createServer((req, res) => {
    req.resume();
    res.writeHead(200, headers);
    res.end('hello');
  })
  .listen(port, '127.0.0.1');
