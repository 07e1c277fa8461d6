/// moosic's one fold scheme, for hold-out splits and k-fold cross-validation alike: a row's fold
/// is a seeded hash of its group's key. Rows of one group (one track under several genres, one
/// recording under several ids) therefore share a fold, and the split depends neither on the
/// order of the rows nor on which other rows there are. Fold sizes are only near n / k (classes
/// are not dealt out evenly): with hundreds of groups or more the difference is a few rows.
public enum CrossValidation {
    /// The fold (0..<folds) of a group with key `key`: SplitMix64's finaliser over FNV-1a seeded with `seed`.
    public static func fold(of key: some Sequence<UInt8>, folds: Int, seed: UInt64) -> Int {
        precondition(folds > 0, "no folds")
        return Int(SplitMix64.mix(FNV1a.hash(key, seed: seed)) % UInt64(folds))
    }

    /// The fold of every row, from its group number (the number's 8 little-endian bytes are its key).
    public static func folds(groups: [Int], folds: Int, seed: UInt64) -> [Int] {
        groups.map { group in
            withUnsafeBytes(of: Int64(group).littleEndian) { fold(of: $0, folds: folds, seed: seed) }
        }
    }
}
