import Testing

/// The long embedded runs (the operated fire drill, then a replayed day), one at a time: each is a market replay that
/// must keep up with its own clock, so two of them never share this machine's two cores. The day goes second, once
/// the suite's first burst of parallel tests is over (started beside it, its 1440× replay once traded nothing).
@Suite(.serialized, .timeLimit(.minutes(6))) struct EmbeddedRuns {}
