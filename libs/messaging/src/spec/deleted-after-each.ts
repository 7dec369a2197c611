/** A test world that owns broker objects (queues, connections) and deletes them when done. */
export interface DeletableWorld {
  delete(): Promise<void>;
}

/**
 * Registers an afterEach hook that deletes every world the current test made, one by one; answers
 * the function a test passes each new world through. Spec-only (not in the build).
 */
export function deletedAfterEach<W extends DeletableWorld>(): (world: W) => W {
  let worlds: W[] = [];
  afterEach(async () => {
    const ending = worlds;
    worlds = [];
    for (const world of ending) await world.delete();
  });
  return (world) => {
    worlds.push(world);
    return world;
  };
}
