import Foundation
import GRDB
import Service
import Storage
import Testing
import TestSupport

@Suite struct SQLiteUserStoreTests {
    private let scratch = ScratchFolder(prefix: "users")
    private var path: String { scratch.path + "/medlocal.sqlite" }

    private func users() throws -> SQLiteUserStore {
        SQLiteUserStore(database: try SQLiteDatabase(path: path))
    }

    @Test func aNewKeyAuthenticatesItsUserAndOnlyItsDigestIsStored() throws {
        let store = try users()
        let (user, key) = try store.create(name: "alice", role: .operator)
        #expect(APIKey.looksValid(key))
        #expect(try store.authenticate(key: key)?.id == user.id)
        #expect(try store.authenticate(key: key)?.role == .operator)
        #expect(try store.authenticate(key: key + "x") == nil)
        #expect(try store.authenticate(key: APIKey.generate()) == nil)
        let stored = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT key_digest FROM api_users") }
        #expect(stored == [APIKey.digest(key)])
        #expect(!stored[0].contains(key))
    }

    @Test func namesAreUniqueAndARevokedKeyStopsWorking() throws {
        let store = try users()
        let (_, key) = try store.create(name: "bob", role: .auditor)
        #expect(throws: ServiceError.self) { try store.create(name: "bob", role: .admin) }
        #expect(try store.revoke(name: "bob"))
        #expect(try store.authenticate(key: key) == nil)
        #expect(try store.revoke(name: "nobody") == false)
        #expect(try store.users().map(\.revoked) == [true])
    }

    @Test func keysAreDistinctAndCarry256RandomBits() {
        let keys = (0..<100).map { _ in APIKey.generate() }
        #expect(Set(keys).count == 100)
        #expect(keys.allSatisfy { $0.count == 47 && $0.hasPrefix("mlk_") })
    }
}
