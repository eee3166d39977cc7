// The sessions one inference worker thread holds, and how they fall back from CUDA to the CPU:
// when CUDA is asked for, a session is first opened on CUDA (where its provider loads), and a
// CUDA session whose run fails — out of memory, a driver or kernel error — is replaced for good by
// a CPU session once the CPU has run the same batch. The failure is reported (`fallback`), never
// hidden. Plain JavaScript, like worker.mjs; ONNX Runtime comes in through `open`, so the fallback
// can be tested with a session that fails as a GPU would.

/**
 * @typedef {{ run(feeds: object): Promise<object>, release(): Promise<void> | void }} Session
 * @typedef {(bytes: Uint8Array, provider: 'cuda' | 'cpu', threads: number) => Promise<Session>} Open
 * @typedef {{ session: Session, device: 'cuda' | 'cpu', fallback?: string }} Entry
 */

const firstLine = (err) => String(err?.message ?? err).split('\n')[0];

/** @param {{ open: Open }} deps */
export function createSessionStore({ open }) {
  /** @type {Map<string, Entry & { bytes: Uint8Array, threads: number }>} */
  const sessions = new Map();

  /** CUDA when asked for (auto or cuda) and its provider loads; otherwise CPU, saying why. */
  async function create(bytes, device, threads) {
    if (device === 'cpu') return { session: await open(bytes, 'cpu', threads), device: 'cpu' };
    try {
      return { session: await open(bytes, 'cuda', threads), device: 'cuda' };
    } catch (err) {
      return { session: await open(bytes, 'cpu', threads), device: 'cpu', fallback: firstLine(err) };
    }
  }

  return {
    /** Opens the model's session once; answers where it runs. */
    async load(id, bytes, device, threads) {
      let entry = sessions.get(id);
      if (!entry) {
        entry = { ...(await create(bytes, device, threads)), bytes, threads };
        sessions.set(id, entry);
      }
      return { device: entry.device, fallback: entry.fallback };
    },

    /** Runs a batch; a failed CUDA run is run again on the CPU, which then serves the model. */
    async run(id, feeds) {
      const entry = sessions.get(id);
      if (!entry) throw new Error(`model ${id} is not loaded in this worker`);
      try {
        return { results: await entry.session.run(feeds), device: entry.device, fallback: entry.fallback };
      } catch (err) {
        if (entry.device !== 'cuda') throw err;
        const cpu = await open(entry.bytes, 'cpu', entry.threads);
        let results;
        try {
          results = await cpu.run(feeds);
        } catch {
          // The CPU fails too: the batch, not CUDA, is at fault. Keep CUDA; report the first error.
          await cpu.release();
          throw err;
        }
        const fallback = `CUDA run failed, now on CPU: ${firstLine(err)}`;
        await Promise.resolve(entry.session.release()).catch(() => {});
        sessions.set(id, { session: cpu, device: 'cpu', fallback, bytes: entry.bytes, threads: entry.threads });
        return { results, device: 'cpu', fallback };
      }
    },

    async unload(id) {
      await sessions.get(id)?.session.release();
      sessions.delete(id);
    },
  };
}
