import Foundation

/// The policies shipped with the product (Resources/presets, documented in Docs/policy.md).
public enum PolicyPresets {
    public static let names = ["hospital-default", "research-default", "hipaa-safe-harbor", "pipl-deid"]
    /// `default` names the hospital default.
    public static let aliases = ["default": "hospital-default"]

    /// The YAML of a preset, nil for an unknown name.
    public static func yaml(named name: String) -> String? {
        let resolved = aliases[name] ?? name
        guard names.contains(resolved),
              let url = Bundle.module.url(forResource: resolved, withExtension: "yaml", subdirectory: "presets") else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }
}
