import Foundation
@testable import Server
import Service
import Testing

/// Requests shaped as Dify sends them to an API-based moderation extension.
@Suite(.serialized) struct DifyModerationTests {
    private let route = "/api/v1/integrations/dify/moderation"

    @Test func pingAnswersPong() async throws {
        let server = try await TestServer.start()
        let reply = try await server.request("POST", route, role: .operator, json: ["point": "ping"])
        #expect(reply.status == 200)
        #expect(reply.json["result"] as? String == "pong")
        #expect(try await server.request("POST", route, json: ["point": "ping"]).status == 401)
        await server.stop()
    }

    @Test func inputWithPHIIsOverriddenWithAnonymizedValues() async throws {
        let server = try await TestServer.start()
        let reply = try await server.request("POST", route, role: .operator, json: [
            "point": "app.moderation.input",
            "params": ["app_id": "61248ab4-1125-45be-ae32-0ce91334d021",
                       "inputs": ["patient": "患者张伟，电话13812345678", "ward": "心内科", "count": 3],
                       "query": "请总结张伟的病情"],
        ])
        #expect(reply.status == 200)
        #expect(reply.json["flagged"] as? Bool == true)
        #expect(reply.json["action"] as? String == "overridden")
        let inputs = try #require(reply.json["inputs"] as? [String: Any])
        let patient = try #require(inputs["patient"] as? String)
        #expect(!patient.contains("13812345678") && !patient.contains("张伟"))
        #expect(inputs["ward"] as? String == "心内科")
        #expect(inputs["count"] as? Int == 3)
        #expect((reply.json["query"] as? String)?.contains("张伟") == false)
        await server.stop()
    }

    @Test func aCleanInputIsNotFlagged() async throws {
        let server = try await TestServer.start()
        let reply = try await server.request("POST", route, role: .operator, json: [
            "point": "app.moderation.input", "params": ["app_id": "a", "inputs": [:], "query": "高血压的一线用药有哪些？"],
        ])
        #expect(reply.json["flagged"] as? Bool == false)
        await server.stop()
    }

    @Test func aBlockedInputGetsThePresetResponseAndNoText() async throws {
        let server = try await TestServer.start()
        let reply = try await server.request("POST", route, role: .operator, json: [
            "point": "app.moderation.input", "params": ["app_id": "a", "inputs": [:], "query": "身份证号 110101199003074573 的患者"],
        ])
        #expect(reply.json["flagged"] as? Bool == true)
        #expect(reply.json["action"] as? String == "direct_output")
        #expect((reply.json["preset_response"] as? String)?.contains("server-test v2.0") == true)
        #expect(!reply.text.contains("110101199003074573"))
        await server.stop()
    }

    @Test func streamedOutputChunksHaveIdentifierFragmentsAtTheirEdgesMasked() async throws {
        let server = try await TestServer.start()
        // A phone number cut in two by the 100-character chunking: neither half is a phone on its own.
        let reply = try await server.request("POST", route, role: .operator, json: [
            "point": "app.moderation.output", "params": ["app_id": "a", "text": "建议随访，如有不适请致电1381"],
        ])
        #expect(reply.json["action"] as? String == "overridden")
        #expect(reply.json["text"] as? String == "建议随访，如有不适请致电****")
        await server.stop()
    }

    @Test func edgeMaskingTouchesOnlyDigitRunsAtTheEdges() {
        #expect(ChunkEdges.maskIdentifierFragments("5678，复查血常规 2 次，ZY2025") == "****，复查血常规 2 次，******")
        #expect(ChunkEdges.maskIdentifierFragments("ment plan reviewed") == "ment plan reviewed")
        #expect(ChunkEdges.maskIdentifierFragments("0731-24") == "****-**")
        #expect(ChunkEdges.maskIdentifierFragments("") == "")
    }
}
