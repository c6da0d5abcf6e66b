import { MockDataset } from '../../testing/mockDataset';
import { largeWbs } from '../../testing/fixtures';
import { PagingDriver } from './pagingDriver';

const dataset = (rows: number, pageSize: number, mode: 'append' | 'replace' = 'append'): MockDataset => {
  const ds = new MockDataset(largeWbs(rows), { entityName: 'msdyn_projecttask', columns: ['msdyn_subject'], pageSize, mode });
  ds.loadFirstPage();
  return ds;
};

describe('PagingDriver', () => {
  it('loads the pages one after another and never asks twice while a page is on its way', () => {
    const ds = dataset(1000, 300);
    const driver = new PagingDriver();
    expect(driver.update(ds, 50_000).loadingMore).toBe(true);
    expect(ds.calls.loadNextPage).toBe(1);
    // updateView for other reasons (a resize) while the page loads:
    driver.update(ds, 50_000);
    driver.update(ds, 50_000);
    expect(ds.calls.loadNextPage).toBe(1);
    ds.deliver();
    expect(ds.sortedRecordIds).toHaveLength(600);
    driver.update(ds, 50_000);
    expect(ds.calls.loadNextPage).toBe(2);
    ds.deliver();
    driver.update(ds, 50_000);
    ds.deliver();
    const done = driver.update(ds, 50_000);
    expect(ds.sortedRecordIds).toHaveLength(1000);
    expect(done).toMatchObject({ loadingMore: false, limitReached: false });
    expect(ds.calls.loadNextPage).toBe(3);
    expect(ds.violations).toBe(0);
  });

  it('stops at the task limit', () => {
    const ds = dataset(1000, 300);
    const driver = new PagingDriver();
    driver.update(ds, 500);
    ds.deliver();
    expect(driver.update(ds, 500)).toMatchObject({ limitReached: true, loadingMore: false });
    expect(ds.calls.loadNextPage).toBe(1);
  });

  it('stops when the host replaces pages instead of appending them (canvas apps)', () => {
    const ds = dataset(1000, 300, 'replace');
    const driver = new PagingDriver();
    driver.update(ds, 50_000);
    ds.deliver();
    expect(driver.update(ds, 50_000)).toMatchObject({ pagesReplaced: true, loadingMore: false });
    expect(ds.calls.loadNextPage).toBe(1);
  });

  it('counts a reload from page 1 as new data, once', () => {
    const ds = dataset(100, 300);
    const driver = new PagingDriver();
    const v0 = driver.update(ds, 50_000).dataVersion;
    expect(driver.update(ds, 50_000).dataVersion).toBe(v0);
    // The app refreshes the subgrid (e.g. after a ribbon command): loading, then the same rows again.
    ds.refresh();
    driver.update(ds, 50_000);
    ds.deliver();
    const v1 = driver.update(ds, 50_000).dataVersion;
    expect(v1).toBe(v0 + 1);
    // The control's own refresh counts at once, not again when the rows arrive.
    driver.restart();
    ds.refresh();
    driver.update(ds, 50_000);
    ds.deliver();
    expect(driver.update(ds, 50_000).dataVersion).toBe(v1 + 1);
  });
});
