// Runs the S3-compatible test server (s3rver, from .tools/node_modules) on 127.0.0.1:<port> with its data in
// <directory>: node s3rver-host.js <module path> <port> <directory>. Started and stopped by S3TestStore.cs.
'use strict';
const [, , modulePath, port, directory] = process.argv;
const S3rver = require(modulePath);
new S3rver({ address: '127.0.0.1', port: Number(port), directory, silent: true })
  .run()
  .then(() => console.log('s3rver listening on ' + port))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
