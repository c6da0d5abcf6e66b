/**
 * Loads the dataset's pages one after another until the whole WBS is there (a tree needs every task) or the control's
 * limit is reached. Platform rules (platform-notes, PCF): in model-driven apps `loadNextPage()` appends to
 * `sortedRecordIds`; paging calls must not run in parallel, so a next page is asked for only once the previous one has
 * arrived. Canvas apps replace the page instead: when that is seen, paging stops and the grid shows the page it has.
 */
type DataSet = ComponentFramework.PropertyTypes.DataSet;

export interface PagingState {
  /** A next page has been asked for and has not arrived yet. */
  readonly loadingMore: boolean;
  readonly limitReached: boolean;
  readonly pagesReplaced: boolean;
  /** Goes up each time the dataset starts again from its first page (refresh, sort, view change). */
  readonly dataVersion: number;
}

export class PagingDriver {
  private inFlight = false;
  private countBefore = 0;
  private firstBefore: string | undefined;
  private replaced = false;
  private limitReached = false;
  private version = 0;
  private wasLoading = false;
  private expectReload = false;
  private lastCount = 0;
  private lastFirst: string | undefined;

  /** The control asked the dataset to start again (refresh, sort): field data is read again at once. */
  restart(): void {
    this.inFlight = false;
    this.replaced = false;
    this.limitReached = false;
    this.expectReload = true;
    this.version += 1;
  }

  /** Call on every updateView; asks for the next page when the previous one has arrived. */
  update(dataset: DataSet, maxRows: number): PagingState {
    const ids = dataset.sortedRecordIds;
    const count = ids.length;
    const first = ids[0];
    if (dataset.loading) {
      this.wasLoading = true;
      return this.state();
    }
    if (this.inFlight) {
      // An updateView for another reason (a resize) while the page is on its way: keep waiting, never ask twice.
      const arrived = this.wasLoading || count !== this.countBefore || first !== this.firstBefore || dataset.error;
      if (!arrived) return this.state();
      // Fewer or as many rows, starting elsewhere: the host replaced the page instead of appending it.
      this.inFlight = false;
      if (count > 0 && count <= this.countBefore && first !== this.firstBefore) this.replaced = true;
    } else if (this.wasLoading || count < this.lastCount || first !== this.lastFirst) {
      // The dataset read its first page again (first load, view change, a refresh by the app or by us).
      if (this.expectReload) this.expectReload = false;
      else this.version += 1;
      this.replaced = false;
      this.limitReached = false;
    }
    this.wasLoading = false;
    this.lastCount = count;
    this.lastFirst = first;

    if (dataset.error || this.replaced || !dataset.paging.hasNextPage) return this.state();
    if (count >= maxRows) {
      this.limitReached = true;
      return this.state();
    }
    this.inFlight = true;
    this.countBefore = count;
    this.firstBefore = first;
    dataset.paging.loadNextPage();
    return this.state();
  }

  private state(): PagingState {
    return { loadingMore: this.inFlight, limitReached: this.limitReached, pagesReplaced: this.replaced, dataVersion: this.version };
  }
}
