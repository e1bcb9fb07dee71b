/**
 * The feed's two kinds of asynchronous work: the lifecycle chain (start and stop run one after another,
 * never two runtimes at once) and fire-and-forget tasks (connect attempts, reconciles, REST requests)
 * held until settled, so dispose can await them and leak checks can count them.
 */

/** See the file comment. */
export class FeedTasks {
  private readonly tasks = new Set<Promise<unknown>>();
  private chain: Promise<void> = Promise.resolve();

  /** @param onChainError where a failed lifecycle operation is reported (the chain itself never rejects) */
  constructor(private readonly onChainError: (error: unknown) => void) {}

  /** Tasks not settled yet. */
  get size(): number {
    return this.tasks.size;
  }

  /** The end of the lifecycle chain now. */
  get lifecycle(): Promise<void> {
    return this.chain;
  }

  /** Runs `op` after every earlier lifecycle operation, whether it failed or not. */
  enqueue(op: () => Promise<void>): Promise<void> {
    const next = this.chain.then(op, op);
    // The chain itself must never reject (a failed start must not block the next stop).
    this.chain = next.catch(this.onChainError);
    return this.chain;
  }

  /** Holds `promise` until it settles; returns it. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.tasks.add(promise);
    const release = (): void => void this.tasks.delete(promise);
    promise.then(release, release);
    return promise;
  }

  /** Resolves when every task held now has settled. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.tasks]);
  }
}
