/** Stops the suite's moto servers by their PIDs. */
export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.e2eEmulators ?? []).map((emulator) => emulator.stop()));
}
