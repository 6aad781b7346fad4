import Testing

/// The suites that run the whole system in child processes for a minute or more (the killed trader, the Redis runs,
/// every service in its own process), one after another: side by side they would take both cores for minutes and
/// starve the suites with real-time deadlines that run beside them.
@Suite(.serialized) enum HeavyRuns {}
