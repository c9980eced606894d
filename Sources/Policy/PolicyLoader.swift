public import Core
import Foundation
import Yams

/// Reads and validates policy YAML. Every problem is collected — unknown fields, actions, types, out-of-range
/// numbers, fields newer than the file's version, unsupported versions — each with its line and field, so one run
/// shows them all.
///
/// Schema generations (Docs/policy.md): v1.0 has `entities` of single rules and `entities.default`; v1.1 adds
/// optional fields (rule conditions, allow and deny lists, rule lists, site recognizers, default-deny mode,
/// webhooks); v2.0 renames `threshold` to `min_score` and moves `entities.default` to a top-level `default`
/// (`medlocal policy migrate` rewrites a v1 file).
public struct PolicyLoader: Sendable {
    /// Schema generations this build reads.
    public static let supportedMajorVersions: Set<Int> = [1, 2]
    public static let currentVersion = PolicyVersion(major: 2, minor: 0)
    /// Operator names a rule may use; ``operatorCheck`` can look closer.
    public static let operators = ["mask", "redact", "replace", "hash", "encrypt", "pseudonymize", "date-shift", "year-only", "age-cap"]

    /// Entity types a rule may name (plus `default`).
    public var knownKinds: Set<EntityKind>
    /// Returns a problem with an operator text (bad parameters), nil when it is fine. The PHI engine's parser is
    /// wired in by the caller, since policies do not depend on the engine.
    public var operatorCheck: @Sendable (String) -> String?

    public init(knownKinds: Set<EntityKind> = Set(EntityKind.all + [.unexplained]), operatorCheck: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.knownKinds = knownKinds
        self.operatorCheck = operatorCheck
    }

    /// - Throws: ``PolicyError`` listing every problem.
    public func load(yaml: String) throws(PolicyError) -> Policy {
        let root = try Self.compose(yaml)
        var reader = Reader(loader: self)
        let policy = reader.policy(root)
        guard reader.problems.isEmpty, let policy else { throw PolicyError(problems: reader.problems) }
        return policy
    }

    /// The YAML node tree, or the syntax problem with its line.
    static func compose(_ yaml: String) throws(PolicyError) -> Node {
        do {
            guard let composed = try Yams.compose(yaml: yaml) else {
                throw PolicyError(problems: [.init(line: nil, field: "", message: "the policy is empty; it needs a version and entities")])
            }
            return composed
        } catch let error as PolicyError {
            throw error
        } catch {
            throw PolicyError(problems: [.init(line: (error as? YamlError).flatMap(line), field: "", message: "not valid YAML (\(summary(error)))")])
        }
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

/// One pass over a policy's nodes, collecting problems.
private struct Reader {
    let loader: PolicyLoader
    var problems: [PolicyError.Problem] = []
    var version = PolicyLoader.currentVersion

    init(loader: PolicyLoader) {
        self.loader = loader
    }

    static let v1_0 = PolicyVersion(major: 1, minor: 0)
    static let v1_1 = PolicyVersion(major: 1, minor: 1)

    mutating func problem(_ node: Node?, _ field: String, _ message: String) {
        problems.append(PolicyError.Problem(line: node?.mark.map { $0.line }, field: field, message: message))
    }

    /// False (with a problem) when `field` is newer than the file's version.
    mutating func available(_ field: String, since: PolicyVersion, _ node: Node) -> Bool {
        guard version < since else { return true }
        problem(node, field, "'\(field.split(separator: ".").last ?? "")' needs version \(since) or later (this file says \(version)); raise the version")
        return false
    }

    mutating func policy(_ root: Node) -> Policy? {
        guard let top = root.mapping else {
            problem(root, "", "the policy must be a mapping with version and entities")
            return nil
        }
        guard let versionNode = top["version"] else {
            problem(root, "version", "the policy has no version (for example `version: v1.0`)")
            return nil
        }
        guard let text = versionNode.string, let parsed = PolicyVersion(text) else {
            problem(versionNode, "version", "version must look like v1.0 (v<major>.<minor>)")
            return nil
        }
        guard PolicyLoader.supportedMajorVersions.contains(parsed.major) else {
            problem(versionNode, "version", "version \(parsed) is not supported by this MedLocal (it reads v1.x and v2.x); use a MedLocal that knows v\(parsed.major)")
            return nil
        }
        version = parsed
        var policy = Policy(version: parsed, entities: [:], defaultRule: EntityRule(action: .tag))
        var sawEntities = false
        var webhookHosts: [(String, Node)] = []
        var webhookNodes: [Node] = []
        for (key, value) in top {
            let field = key.string ?? ""
            switch field {
            case "version":
                continue
            case "name":
                policy.name = value.string
            case "description":
                continue
            case "entities":
                sawEntities = true
                entities(value, into: &policy)
            case "default":
                guard version.major >= 2 else {
                    problem(key, "default", "a top-level default needs version v2.0; in v1 it is entities.default")
                    continue
                }
                if let rule = entity(value, type: "default")?.rules.first { policy.defaultRule = rule }
            case "mode":
                guard available("mode", since: Self.v1_1, key) else { continue }
                guard let mode = value.string.flatMap(PolicyMode.init(rawValue:)) else {
                    problem(value, "mode", "unknown mode '\(value.string ?? "")'; use standard or default-deny")
                    continue
                }
                policy.mode = mode
            case "allow":
                guard available("allow", since: Self.v1_1, key) else { continue }
                policy.allow = matchers(value, field: "allow")
            case "clinical_words":
                guard available("clinical_words", since: Self.v1_1, key) else { continue }
                policy.clinicalWords = Set(strings(value, field: "clinical_words"))
            case "recognizers":
                guard available("recognizers", since: Self.v1_1, key) else { continue }
                policy.recognizers = recognizers(value)
            case "webhooks":
                guard available("webhooks", since: Self.v1_1, key) else { continue }
                webhookNodes = value.sequence.map(Array.init) ?? []
                if value.sequence == nil { problem(value, "webhooks", "webhooks must be a list of {url, events}") }
            case "webhook_hosts":
                guard available("webhook_hosts", since: Self.v1_1, key) else { continue }
                webhookHosts = (value.sequence.map(Array.init) ?? []).compactMap { node in node.string.map { ($0.lowercased(), node) } }
            default:
                let known = version.major >= 2 || version >= Self.v1_1
                    ? "version, name, description, mode, entities\(version.major >= 2 ? ", default" : ""), allow, recognizers, clinical_words, webhooks, webhook_hosts"
                    : "version, name, description and entities"
                problem(key, field, "unknown field '\(field)'; a \(version) policy has \(known)")
            }
        }
        policy.webhooks = webhookNodes.compactMap { webhook($0, allowedHosts: Set(webhookHosts.map(\.0))) }
        if !sawEntities { problem(root, "entities", "the policy has no entities") }
        return policy
    }

    mutating func entities(_ node: Node, into policy: inout Policy) {
        guard let entities = node.mapping else {
            problem(node, "entities", "entities must be a mapping of entity type to rule")
            return
        }
        for (typeNode, ruleNode) in entities {
            let type = typeNode.string ?? ""
            if type == "default" {
                guard version.major < 2 else {
                    problem(typeNode, "entities.default", "entities.default moved to a top-level default in v2.0; run `medlocal policy migrate`")
                    continue
                }
                if let entity = entity(ruleNode, type: type) {
                    if entity.rules.count != 1 || entity.rules[0].conditions != nil || !entity.allow.isEmpty || !entity.deny.isEmpty {
                        problem(ruleNode, "entities.default", "the default is one rule without conditions, allow or deny lists")
                    } else {
                        policy.defaultRule = entity.rules[0]
                    }
                }
                continue
            }
            guard loader.knownKinds.contains(EntityKind(type)) else {
                let known = loader.knownKinds.map(\.rawValue).sorted().joined(separator: ", ")
                problem(typeNode, "entities.\(type)", "unknown entity type '\(type)'; use one of: \(known)\(version.major < 2 ? ", default" : "")")
                continue
            }
            if let entity = entity(ruleNode, type: type) { policy.entities[EntityKind(type)] = entity }
        }
    }

    /// An entity entry: one rule (with optional allow/deny), or `rules:` with a list of them.
    mutating func entity(_ node: Node, type: String) -> EntityPolicy? {
        let path = type == "default" && version.major >= 2 ? "default" : "entities.\(type)"
        guard let mapping = node.mapping else {
            problem(node, path, "the rule for \(type) must be a mapping such as {action: anonymize, operator: mask}")
            return nil
        }
        var allow: [ValueMatcher] = [], deny: [ValueMatcher] = []
        var ruleFields: [(Node, Node)] = []
        var ruleList: Node?
        for (key, value) in mapping {
            let field = key.string ?? ""
            switch field {
            case "allow":
                if available("\(path).allow", since: Self.v1_1, key) { allow = matchers(value, field: "\(path).allow") }
            case "deny":
                if available("\(path).deny", since: Self.v1_1, key) { deny = matchers(value, field: "\(path).deny") }
            case "rules":
                if available("\(path).rules", since: Self.v1_1, key) { ruleList = value }
            default:
                ruleFields.append((key, value))
            }
        }
        var rules: [EntityRule] = []
        if let ruleList {
            if !ruleFields.isEmpty { problem(node, path, "the rule for \(type) has both rules: and rule fields; put every rule in the list") }
            guard let items = ruleList.sequence, !items.isEmpty else {
                problem(ruleList, "\(path).rules", "rules for \(type) must be a non-empty list of rules")
                return nil
            }
            for (index, item) in items.enumerated() {
                guard let fields = item.mapping else {
                    problem(item, "\(path).rules[\(index)]", "each rule for \(type) must be a mapping such as {action: tag}")
                    continue
                }
                if let rule = rule(Array(fields), node: item, type: type, path: "\(path).rules[\(index)]") { rules.append(rule) }
            }
            guard rules.count == items.count else { return nil }
        } else {
            guard let rule = rule(ruleFields, node: node, type: type, path: path) else { return nil }
            rules = [rule]
        }
        return EntityPolicy(rules: rules, allow: allow, deny: deny)
    }

    mutating func rule(_ fields: [(Node, Node)], node: Node, type: String, path: String) -> EntityRule? {
        var action: PolicyAction?
        var threshold = 0.5
        var operatorText: String?
        var conditions: RuleConditions?
        var valid = true
        let thresholdField = version.major >= 2 ? "min_score" : "threshold"
        for (key, value) in fields {
            let field = key.string ?? ""
            switch field {
            case "action":
                guard let text = value.string, let parsed = PolicyAction(rawValue: text) else {
                    problem(value, "\(path).action", "unknown action '\(value.string ?? "")' for \(type); use one of: tag, alert, anonymize, block")
                    valid = false
                    continue
                }
                action = parsed
            case thresholdField:
                guard let number = value.float, (0...1).contains(number) else {
                    problem(value, "\(path).\(field)", "\(field) for \(type) must be a number from 0 to 1")
                    valid = false
                    continue
                }
                threshold = number
            case "threshold":
                problem(key, "\(path).threshold", "threshold was renamed min_score in v2.0; run `medlocal policy migrate` or rename it")
                valid = false
            case "operator":
                let text = value.string ?? ""
                let name = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
                guard PolicyLoader.operators.contains(name) else {
                    problem(value, "\(path).operator", "unknown operator '\(text)' for \(type); use one of: \(PolicyLoader.operators.joined(separator: ", "))")
                    valid = false
                    continue
                }
                if let complaint = loader.operatorCheck(text) {
                    problem(value, "\(path).operator", "operator '\(text)' for \(type): \(complaint)")
                    valid = false
                    continue
                }
                operatorText = text
            case "when":
                guard available("\(path).when", since: Self.v1_1, key) else { valid = false; continue }
                conditions = self.conditions(value, path: "\(path).when")
                if conditions == nil { valid = false }
            default:
                let known = version >= Self.v1_1 || version.major >= 2 ? "action, \(thresholdField), operator and when" : "action, threshold and operator"
                problem(key, "\(path).\(field)", "unknown field '\(field)' in the rule for \(type); a rule has \(known)")
                valid = false
            }
        }
        guard let action else {
            if valid { problem(node, "\(path).action", "the rule for \(type) has no action; use one of: tag, alert, anonymize, block") }
            return nil
        }
        if operatorText != nil, action != .anonymize {
            problem(node, "\(path).operator", "an operator only applies to action anonymize (\(type) has \(action.rawValue))")
            return nil
        }
        return valid ? EntityRule(action: action, threshold: threshold, operator: operatorText ?? (action == .anonymize ? "replace" : nil),
                                  conditions: conditions) : nil
    }

    mutating func conditions(_ node: Node, path: String) -> RuleConditions? {
        guard let mapping = node.mapping else {
            problem(node, path, "when must be a mapping of document_kind, language, source and score")
            return nil
        }
        var conditions = RuleConditions()
        var valid = true
        for (key, value) in mapping {
            let field = key.string ?? ""
            switch field {
            case "document_kind":
                conditions.documentKinds = Set(strings(value, field: "\(path).document_kind"))
            case "language":
                var languages: Set<Language> = []
                for text in strings(value, field: "\(path).language") {
                    guard let language = Language(rawValue: text) else {
                        problem(value, "\(path).language", "unknown language '\(text)'; use zh or en")
                        valid = false
                        continue
                    }
                    languages.insert(language)
                }
                conditions.languages = languages
            case "source":
                let known: Set<String> = ["text", "pdf", "docx", "ocr", "dicom", "api"]
                let sources = strings(value, field: "\(path).source")
                for source in sources where !known.contains(source) {
                    problem(value, "\(path).source", "unknown source '\(source)'; use one of: \(known.sorted().joined(separator: ", "))")
                    valid = false
                }
                conditions.sources = Set(sources)
            case "score":
                guard let range = value.mapping else {
                    problem(value, "\(path).score", "score must be a mapping such as {min: 0.3, max: 0.7}")
                    valid = false
                    continue
                }
                for (boundKey, boundValue) in range {
                    let bound = boundKey.string ?? ""
                    guard let number = boundValue.float, (0...1).contains(number), bound == "min" || bound == "max" else {
                        problem(boundValue, "\(path).score.\(bound)", "score takes min and max, numbers from 0 to 1")
                        valid = false
                        continue
                    }
                    if bound == "min" { conditions.minScore = number } else { conditions.maxScore = number }
                }
            default:
                problem(key, "\(path).\(field)", "unknown condition '\(field)'; use document_kind, language, source or score")
                valid = false
            }
        }
        return valid ? conditions : nil
    }

    mutating func strings(_ node: Node, field: String) -> [String] {
        if let single = node.string, node.sequence == nil { return [single] }
        guard let items = node.sequence else {
            problem(node, field, "\(field) must be a list of strings")
            return []
        }
        return items.compactMap { item in
            guard let text = item.string else {
                problem(item, field, "\(field) must be a list of strings")
                return nil
            }
            return text
        }
    }

    mutating func matchers(_ node: Node, field: String) -> [ValueMatcher] {
        guard let items = node.sequence else {
            problem(node, field, "\(field) must be a list of values or /regular expressions/")
            return []
        }
        return items.compactMap { item in
            guard let text = item.string, !text.isEmpty else {
                problem(item, field, "\(field) entries must be non-empty strings")
                return nil
            }
            do {
                return try ValueMatcher(text)
            } catch {
                problem(item, field, "\(field): the regular expression \(text) does not compile")
                return nil
            }
        }
    }

    mutating func recognizers(_ node: Node) -> [SiteRecognizer] {
        guard let items = node.sequence else {
            problem(node, "recognizers", "recognizers must be a list of {name, type, pattern}")
            return []
        }
        return items.enumerated().compactMap { index, item in
            let path = "recognizers[\(index)]"
            guard let mapping = item.mapping else {
                problem(item, path, "each recognizer must be a mapping {name, type, pattern}")
                return nil
            }
            var name: String?, type: String?, pattern: String?, score = 0.9, window = 12
            var context: [String] = []
            for (key, value) in mapping {
                let field = key.string ?? ""
                switch field {
                case "name": name = value.string
                case "type": type = value.string
                case "pattern": pattern = value.string
                case "context": context = strings(value, field: "\(path).context")
                case "score":
                    guard let number = value.float, (0...1).contains(number) else {
                        problem(value, "\(path).score", "score must be a number from 0 to 1")
                        continue
                    }
                    score = number
                case "window":
                    guard let number = value.int, number > 0, number <= 200 else {
                        problem(value, "\(path).window", "window must be a whole number of characters from 1 to 200")
                        continue
                    }
                    window = number
                default:
                    problem(key, "\(path).\(field)", "unknown field '\(field)' in a recognizer; use name, type, pattern, score, context and window")
                }
            }
            guard let name, let type, let pattern else {
                problem(item, path, "a recognizer needs name, type and pattern")
                return nil
            }
            guard loader.knownKinds.contains(EntityKind(type)) else {
                problem(item, "\(path).type", "unknown entity type '\(type)' for recognizer \(name)")
                return nil
            }
            do {
                return try SiteRecognizer(name: name, kind: EntityKind(type), pattern: pattern, score: score, context: context, window: window)
            } catch {
                problem(item, "\(path).pattern", "the pattern of recognizer \(name) does not compile")
                return nil
            }
        }
    }

    mutating func webhook(_ node: Node, allowedHosts: Set<String>) -> WebhookTarget? {
        guard let mapping = node.mapping, let urlNode = mapping["url"], let url = urlNode.string else {
            problem(node, "webhooks", "each webhook needs a url")
            return nil
        }
        guard let parsed = URLComponents(string: url), parsed.scheme == "http", let host = parsed.host?.lowercased(), !host.isEmpty else {
            problem(urlNode, "webhooks.url", "webhook url \(url) must be http://host[:port]/path (deliver to a local relay for TLS)")
            return nil
        }
        let loopback: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]
        guard loopback.contains(host) || allowedHosts.contains(host) else {
            problem(urlNode, "webhooks.url", "webhook host \(host) is not loopback; list it in webhook_hosts to allow it")
            return nil
        }
        var events: Set<String> = ["alert", "block"]
        if let eventsNode = mapping["events"] {
            events = Set(strings(eventsNode, field: "webhooks.events"))
            for event in events where event != "alert" && event != "block" {
                problem(eventsNode, "webhooks.events", "unknown webhook event '\(event)'; use alert or block")
            }
        }
        for (key, _) in mapping where !["url", "events"].contains(key.string ?? "") {
            problem(key, "webhooks.\(key.string ?? "")", "unknown field '\(key.string ?? "")' in a webhook; use url and events")
        }
        return WebhookTarget(url: url, events: events)
    }
}
