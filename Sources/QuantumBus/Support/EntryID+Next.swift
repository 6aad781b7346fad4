extension EntryID {
    /// The id of an entry appended at `milliseconds` after `last`, the way Redis assigns them.
    ///
    /// If the clock did not move past `last` (or moved back), the id keeps `last`'s milliseconds
    /// and bumps the sequence, so ids strictly increase whatever the clock does.
    static func next(after last: EntryID, atMilliseconds milliseconds: Int64) -> EntryID {
        let ms = UInt64(clamping: milliseconds)
        if ms > last.milliseconds { return EntryID(milliseconds: ms, sequence: 0) }
        return EntryID(milliseconds: last.milliseconds, sequence: last.sequence + 1)
    }
}
