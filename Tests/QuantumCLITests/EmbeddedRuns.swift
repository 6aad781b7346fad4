import Testing

/// The long embedded runs (a replayed day, the operated fire drill), one at a time: each is a market replay that
/// must keep up with its own clock, so two of them never share this machine's two cores.
@Suite(.serialized, .timeLimit(.minutes(6))) struct EmbeddedRuns {}
