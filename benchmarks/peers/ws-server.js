// The bare Node `ws` peer of the comparison (issue 14): every connection is in the one room,
// and every text frame a client sends is relayed as it is to every open connection, the
// sender included (as Parley echoes a chat to its sender). No parsing, no acks, no history.
// Usage: node ws-server.js [port]   (or PORT=...; listens on 127.0.0.1 only)
'use strict';
const { WebSocketServer, WebSocket } = require('ws');

const port = Number(process.argv[2] || process.env.PORT || 18301);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

wss.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) {
        client.send(data, { binary: isBinary });
      }
    }
  });
});

wss.on('listening', () => {
  console.log(`ws peer listening on 127.0.0.1:${port} pid=${process.pid} ws=${require('ws/package.json').version}`);
});
process.on('SIGTERM', () => process.exit(0));
