import { type AppLogger } from '@junction/platform';
import { mockOf } from '@junction/platform/testing';
import { SEED_CATALOG } from '../../../domain/catalog';
import { CatalogSeeder } from './catalog.seeder';
import { type InventoryRepository } from './inventory.repository';

function seederWith(repository: InventoryRepository) {
  const logger = mockOf<AppLogger>();
  const log = mockOf<ReturnType<AppLogger['child']>>();
  log.warn.mockReturnValue(undefined);
  log.info.mockReturnValue(undefined);
  logger.child.mockReturnValue(log);
  return { seeder: new CatalogSeeder(repository, logger), log };
}

describe(CatalogSeeder.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('logs a failed seed and tries again with backoff until it works', async () => {
    const repository = mockOf<InventoryRepository>();
    repository.seed
      .mockRejectedValueOnce(new Error('connect ECONNREFUSED'))
      .mockRejectedValueOnce(new Error('connect ECONNREFUSED'))
      .mockResolvedValue(undefined);
    const { seeder, log } = seederWith(repository);

    await seeder.onApplicationBootstrap();
    expect(log.warn).toHaveBeenCalledWith(
      expect.objectContaining({ attempt: 1, retryInMs: 500, err: 'connect ECONNREFUSED' }),
      'seeding the catalog failed; retrying',
    );
    await jest.advanceTimersByTimeAsync(500);
    expect(log.warn).toHaveBeenLastCalledWith(
      expect.objectContaining({ attempt: 2, retryInMs: 1_000 }),
      'seeding the catalog failed; retrying',
    );
    await jest.advanceTimersByTimeAsync(1_000);
    expect(repository.seed).toHaveBeenCalledTimes(3);
    expect(repository.seed).toHaveBeenLastCalledWith(SEED_CATALOG);
    expect(log.info).toHaveBeenCalledWith({ attempt: 3 }, 'catalog seeded');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(repository.seed).toHaveBeenCalledTimes(3);
  });

  it('stops retrying when the service stops', async () => {
    const repository = mockOf<InventoryRepository>();
    repository.seed.mockRejectedValue(new Error('down'));
    const { seeder } = seederWith(repository);
    await seeder.onApplicationBootstrap();
    seeder.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(repository.seed).toHaveBeenCalledTimes(1);
  });
});
