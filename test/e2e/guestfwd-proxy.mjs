// QEMU's user network runs this once per guest connection to a guestfwd
// address (169.254.169.254:80), the connection on stdin/stdout; it joins them
// to the metadata emulator the test runs on 127.0.0.1:<port>. Nothing leaves the host.
import { connect } from 'node:net';

const upstream = connect(Number(process.argv[2]), '127.0.0.1');
// Ends the upstream when the guest half-closes.
process.stdin.pipe(upstream);
upstream.on('data', (d) => process.stdout.write(d));
// Writes to a pipe or socket are asynchronous: exit only once the last one is out.
upstream.on('end', () => process.stdout.write('', () => process.exit(0)));
upstream.on('error', () => process.exit(1));
