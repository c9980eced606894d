import Yams

/// `medlocal policy migrate`: rewrites a valid v1.x policy as v2.0 — `threshold` becomes `min_score` and
/// `entities.default` becomes the top-level `default` — keeping every other field and its order. (YAML comments
/// are not carried over: the YAML library does not keep them.)
public enum PolicyMigration {
    /// - Throws: ``PolicyError`` when the file is not a valid policy, or is already v2.
    public static func migrate(yaml: String, loader: PolicyLoader = PolicyLoader()) throws(PolicyError) -> String {
        let policy = try loader.load(yaml: yaml)
        guard policy.version.major == 1 else {
            throw PolicyError(problems: [.init(line: nil, field: "version", message: "the policy is already \(policy.version); nothing to migrate")])
        }
        let root = try PolicyLoader.compose(yaml)
        guard let top = root.mapping else { throw PolicyError(problems: [.init(line: nil, field: "", message: "not a mapping")]) }
        var migrated: [(Node, Node)] = []
        var defaultRule: Node?
        for (key, value) in top {
            switch key.string {
            case "version":
                migrated.append((key, Node(PolicyLoader.currentVersion.description)))
            case "entities":
                var entities: [(Node, Node)] = []
                for (type, rule) in value.mapping ?? [:] {
                    if type.string == "default" { defaultRule = renamingThreshold(rule) } else { entities.append((type, renamingThreshold(rule))) }
                }
                migrated.append((key, Node(entities, .implicit, value.mapping?.style ?? .any)))
            default:
                migrated.append((key, value))
            }
        }
        if let defaultRule { migrated.append((Node("default"), defaultRule)) }
        let text: String
        do {
            text = try Yams.serialize(node: Node(migrated), sortKeys: false)
        } catch {
            throw PolicyError(problems: [.init(line: nil, field: "", message: "the migrated policy cannot be written as YAML")])
        }
        _ = try loader.load(yaml: text)   // what we write must itself be valid
        return "# Migrated from \(policy.version) to \(PolicyLoader.currentVersion) by `medlocal policy migrate`.\n" + text
    }

    /// A rule, or a `rules:` list of them, with `threshold` renamed `min_score`.
    private static func renamingThreshold(_ node: Node) -> Node {
        guard let mapping = node.mapping else { return node }
        let pairs: [(Node, Node)] = mapping.map { key, value in
            switch key.string {
            case "threshold": return (Node("min_score"), value)
            case "rules": return (key, Node((value.sequence.map(Array.init) ?? []).map(renamingThreshold), .implicit, value.sequence?.style ?? .any))
            default: return (key, value)
            }
        }
        return Node(pairs, .implicit, mapping.style)
    }
}
