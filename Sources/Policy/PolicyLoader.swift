public import Core
import Foundation
import Yams

/// Reads and validates policy YAML. Every problem is collected — unknown fields, actions, types, out-of-range
/// thresholds, unsupported versions — each with its line and field, so one run shows them all.
public struct PolicyLoader: Sendable {
    /// Schema generations this build reads.
    public static let supportedMajorVersions: Set<Int> = [1]
    public static let operators = ["mask", "redact", "replace", "hash", "encrypt", "pseudonymize", "date-shift"]

    /// Entity types a rule may name (plus `default`).
    public var knownKinds: Set<EntityKind>

    public init(knownKinds: Set<EntityKind> = Set(EntityKind.all)) {
        self.knownKinds = knownKinds
    }

    /// - Throws: ``PolicyError`` listing every problem.
    public func load(yaml: String) throws(PolicyError) -> Policy {
        var problems: [PolicyError.Problem] = []
        func problem(_ node: Node?, _ field: String, _ message: String) {
            problems.append(PolicyError.Problem(line: node?.mark.map { $0.line }, field: field, message: message))
        }
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else {
                throw PolicyError(problems: [.init(line: nil, field: "", message: "the policy is empty; it needs a version and entities")])
            }
            root = composed
        } catch let error as PolicyError {
            throw error
        } catch {
            throw PolicyError(problems: [.init(line: (error as? YamlError).flatMap(Self.line), field: "",
                                               message: "not valid YAML (\(Self.summary(error)))")])
        }
        guard let top = root.mapping else {
            throw PolicyError(problems: [.init(line: root.mark?.line, field: "", message: "the policy must be a mapping with version and entities")])
        }
        var version: PolicyVersion?
        var name: String?
        var rules: [EntityKind: EntityRule] = [:]
        var defaultRule: EntityRule?
        var sawEntities = false
        for (key, value) in top {
            let field = key.string ?? ""
            switch field {
            case "version":
                guard let text = value.string, let parsed = PolicyVersion(text) else {
                    problem(value, "version", "version must look like v1.0 (v<major>.<minor>)")
                    continue
                }
                guard Self.supportedMajorVersions.contains(parsed.major) else {
                    problem(value, "version", "version \(parsed) is not supported by this MedLocal (it reads v1.x); run `medlocal policy migrate` or use a newer MedLocal")
                    continue
                }
                version = parsed
            case "name", "description":
                if field == "name" { name = value.string }
            case "entities":
                sawEntities = true
                guard let entities = value.mapping else {
                    problem(value, "entities", "entities must be a mapping of entity type to rule")
                    continue
                }
                for (typeNode, ruleNode) in entities {
                    let type = typeNode.string ?? ""
                    guard let rule = parseRule(ruleNode, type: type, problem: problem) else { continue }
                    if type == "default" {
                        defaultRule = rule
                    } else if knownKinds.contains(EntityKind(type)) {
                        rules[EntityKind(type)] = rule
                    } else {
                        let known = knownKinds.map(\.rawValue).sorted().joined(separator: ", ")
                        problem(typeNode, "entities.\(type)", "unknown entity type '\(type)'; use one of: \(known), default")
                    }
                }
            default:
                problem(key, field, "unknown field '\(field)'; a policy has version, name, description and entities")
            }
        }
        if version == nil, !problems.contains(where: { $0.field == "version" }) {
            problem(root, "version", "the policy has no version (for example `version: v1.0`)")
        }
        if !sawEntities { problem(root, "entities", "the policy has no entities") }
        guard problems.isEmpty, let version else { throw PolicyError(problems: problems) }
        return Policy(version: version, name: name, rules: rules, defaultRule: defaultRule ?? EntityRule(action: .tag))
    }

    private func parseRule(_ node: Node, type: String, problem: (Node?, String, String) -> Void) -> EntityRule? {
        guard let mapping = node.mapping else {
            problem(node, "entities.\(type)", "the rule for \(type) must be a mapping such as {action: anonymize, operator: mask}")
            return nil
        }
        var action: PolicyAction?
        var threshold = 0.5
        var operatorText: String?
        var valid = true
        for (key, value) in mapping {
            let field = key.string ?? ""
            switch field {
            case "action":
                guard let text = value.string, let parsed = PolicyAction(rawValue: text) else {
                    problem(value, "entities.\(type).action",
                            "unknown action '\(value.string ?? "")' for \(type); use one of: tag, alert, anonymize, block")
                    valid = false
                    continue
                }
                action = parsed
            case "threshold":
                guard let number = value.float, (0...1).contains(number) else {
                    problem(value, "entities.\(type).threshold", "threshold for \(type) must be a number from 0 to 1")
                    valid = false
                    continue
                }
                threshold = number
            case "operator":
                let text = value.string ?? ""
                let name = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
                guard Self.operators.contains(name) else {
                    problem(value, "entities.\(type).operator",
                            "unknown operator '\(text)' for \(type); use one of: \(Self.operators.joined(separator: ", "))")
                    valid = false
                    continue
                }
                operatorText = text
            default:
                problem(key, "entities.\(type).\(field)", "unknown field '\(field)' in the rule for \(type); a rule has action, threshold and operator")
                valid = false
            }
        }
        guard let action else {
            if valid { problem(node, "entities.\(type).action", "the rule for \(type) has no action; use one of: tag, alert, anonymize, block") }
            return nil
        }
        if operatorText != nil, action != .anonymize {
            problem(node, "entities.\(type).operator", "an operator only applies to action anonymize (\(type) has \(action.rawValue))")
            return nil
        }
        return valid ? EntityRule(action: action, threshold: threshold, operator: operatorText ?? (action == .anonymize ? "replace" : nil)) : nil
    }

    private static func line(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    private static func summary(_ error: any Error) -> String {
        guard let yaml = error as? YamlError else { return "unreadable" }
        switch yaml {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return "unreadable"
        }
    }
}
