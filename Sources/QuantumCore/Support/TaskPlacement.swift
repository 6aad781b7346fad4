/// Where the system's few unstructured tasks run: the global pool, or the executor a deterministic simulation
/// (`quantum soak`) runs everything on.
///
/// Structured child tasks inherit a task executor preference by themselves; an unstructured `Task {}` does not,
/// so one created without this would escape a simulation, run on another thread, and make it nondeterministic.
public enum TaskPlacement {
    /// The executor unstructured tasks are placed on (`nil`: the global pool, as usual).
    @TaskLocal public static var executor: (any TaskExecutor)?
}
