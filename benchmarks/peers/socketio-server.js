// The Socket.IO 4.8 peer of the comparison (issue 14): WebSocket transport only, every
// connection joins the one room, and each "chat" event a client emits is sent to the whole
// room, the sender included, with io.to(room).emit. No acks, no history.
// Usage: node socketio-server.js [port]   (or PORT=...; listens on 127.0.0.1 only)
'use strict';
const { createServer } = require('http');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || process.env.PORT || 18302);
const ROOM = 'bench';
const httpServer = createServer();
const io = new Server(httpServer, { transports: ['websocket'], serveClient: false });

io.on('connection', (socket) => {
  socket.join(ROOM);
  socket.on('chat', (text) => io.to(ROOM).emit('chat', text));
});

httpServer.listen(port, '127.0.0.1', () => {
  console.log(`socket.io peer listening on 127.0.0.1:${port} pid=${process.pid}`
    + ` socket.io=${require('socket.io/package.json').version}`);
});
process.on('SIGTERM', () => process.exit(0));
