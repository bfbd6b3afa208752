/** Lets the bootstrap deploys finish, then stops the suite's moto servers by their PIDs. */
export default async function globalTeardown(): Promise<void> {
  await Promise.allSettled(globalThis.e2eBootstrapDeploys ?? []);
  await Promise.all((globalThis.e2eEmulators ?? []).map((emulator) => emulator.stop()));
}
