/// Scales every column to [0, 1] by the minimum and maximum seen in the training rows. Values
/// outside that range are clamped, so a song unlike any training song gets the edge value
/// rather than an extrapolation.
public struct MinMaxScaler: Sendable, Equatable, Codable {
    public var minimum: [Float]
    public var maximum: [Float]

    public init(minimum: [Float], maximum: [Float]) throws {
        guard minimum.count == maximum.count, !minimum.isEmpty,
              zip(minimum, maximum).allSatisfy({ $0.isFinite && $1.isFinite && $0 <= $1 }) else {
            throw MLError.invalidData("a scaler needs one finite minimum ≤ maximum per column")
        }
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Fits the scaler to `rows × columns` values, row-major.
    public init(fitting values: [Float], columns: Int) throws {
        guard columns > 0, !values.isEmpty, values.count % columns == 0 else {
            throw MLError.invalidData("a scaler needs at least one row to fit")
        }
        var lo = [Float](repeating: .infinity, count: columns)
        var hi = [Float](repeating: -.infinity, count: columns)
        for (k, v) in values.enumerated() {
            let c = k % columns
            lo[c] = min(lo[c], v)
            hi[c] = max(hi[c], v)
        }
        try self.init(minimum: lo, maximum: hi)
    }

    public var columns: Int { minimum.count }

    /// Scales `values` (row-major, `columns` a row) in place.
    public func transform(_ values: inout [Float]) {
        let columns = self.columns
        values.withUnsafeMutableBufferPointer { v in
            var c = 0
            for k in v.indices {
                let span = maximum[c] - minimum[c]
                v[k] = span > 0 ? min(max((v[k] - minimum[c]) / span, 0), 1) : 0
                c += 1
                if c == columns { c = 0 }
            }
        }
    }

    enum CodingKeys: String, CodingKey { case minimum = "min", maximum = "max" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(minimum: c.decode([Float].self, forKey: .minimum), maximum: c.decode([Float].self, forKey: .maximum))
    }
}
