const { createPoller } = require("../lib/live");

describe("live updates by polling", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test("polls at its interval while started and not after stop", async () => {
    const fetch = jest.fn().mockResolvedValue({ status: "preparing" });
    const seen = [];
    const poller = createPoller({ fetch, onData: (d) => seen.push(d.status), interval: 3000 });
    poller.start();
    await jest.advanceTimersByTimeAsync(0);
    await jest.advanceTimersByTimeAsync(3000);
    await jest.advanceTimersByTimeAsync(3000);
    expect(fetch).toHaveBeenCalledTimes(3);
    poller.stop();
    await jest.advanceTimersByTimeAsync(30000);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(seen).toEqual(["preparing", "preparing", "preparing"]);
  });

  test("backs off while the server fails and comes back to its interval once it answers", async () => {
    let fail = true;
    const fetch = jest.fn(() => (fail ? Promise.reject(new Error("offline")) : Promise.resolve({})));
    const poller = createPoller({ fetch, onData: () => {}, interval: 1000, maxInterval: 8000 });
    poller.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(poller.interval).toBe(2000);
    await jest.advanceTimersByTimeAsync(2000);
    await jest.advanceTimersByTimeAsync(4000);
    await jest.advanceTimersByTimeAsync(8000);
    expect(poller.interval).toBe(8000);  // capped
    fail = false;
    await jest.advanceTimersByTimeAsync(8000);
    expect(poller.interval).toBe(1000);
    poller.stop();
  });

  test("poke looks at once instead of waiting for the next tick", async () => {
    const fetch = jest.fn().mockResolvedValue({});
    const poller = createPoller({ fetch, onData: () => {}, interval: 10000 });
    poller.start();
    await jest.advanceTimersByTimeAsync(0);
    poller.poke();
    await jest.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(2);
    poller.stop();
  });
});
