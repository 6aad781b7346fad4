/// The product version.
public enum QuantumVersion {
    public static let current = "0.1.0"
}
