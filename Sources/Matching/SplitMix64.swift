/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same sequence everywhere.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Roughly normal with mean 0 and variance 1/3 (a sum of four uniforms), bounded by ±2.
    public mutating func bell() -> Double { unit() + unit() + unit() + unit() - 2 }

    /// Uniform in `range`, by the multiply-high method.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next().multipliedFullWidth(by: span).high)
    }

    public mutating func int32(in range: ClosedRange<Int32>) -> Int32 {
        Int32(int(in: Int(range.lowerBound)...Int(range.upperBound)))
    }
}
