// UDP sockets on 127.0.0.1 for the private links between test VMs (QEMU dgram
// netdevs): nothing leaves this machine.
import { createSocket, type Socket } from 'node:dgram';

/** A UDP socket bound on 127.0.0.1 to a free port. */
export function boundSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => resolve(s));
  });
}

/** A free UDP port on 127.0.0.1 (free now; QEMU binds it moments later). */
export async function freeUdpPort(): Promise<number> {
  const s = await boundSocket();
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
