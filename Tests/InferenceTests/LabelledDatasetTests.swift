import Foundation
import Inference
import Testing

@Suite struct LabelledDatasetTests {
    var rules: LabelledDataset.Rules {
        var rules = LabelledDataset.Rules()
        rules.minimumPerClass = 3
        return rules
    }

    @Test func aCleanFolderKeepsEveryImageUnderItsFoldersClass() throws {
        let folder = DatasetFolder()
        try folder.addClass("normal", count: 4, from: 0)
        try folder.addClass("pneumonia", count: 3, from: 100)
        let dataset = try LabelledDataset(folder: folder.url, decoder: FakeDecoder(), rules: rules)
        #expect(dataset.classes == ["normal", "pneumonia"])
        #expect(dataset.counts == [4, 3])
        #expect(dataset.removed.isEmpty)
        #expect(dataset.images.filter { $0.label == 1 }.allSatisfy { $0.relativePath.hasPrefix("pneumonia/") })
    }

    @Test(arguments: [
        ("garbage.img", Data("not an image".utf8), LabelledDataset.Removal.Reason.unreadable),
        ("empty.png", Data(), .unreadable),
        ("tiny.img", Data(Array("IMG".utf8) + [8, 8, 250]), .tooSmall),
        ("copy.img", Data(Array("IMG".utf8) + [32, 32, 0]), .duplicate),
    ])
    func aBadFileIsRemovedAndReportedWithItsReason(file: String, bytes: Data, reason: LabelledDataset.Removal.Reason) throws {
        let folder = DatasetFolder()
        try folder.addClass("a", count: 3, from: 0)
        try folder.addClass("b", count: 3, from: 100)
        try folder.write("a", file, bytes)
        let dataset = try LabelledDataset(folder: folder.url, decoder: FakeDecoder(), rules: rules)
        #expect(dataset.removed.map(\.path) == ["a/\(file)"])
        #expect(dataset.removed.first?.reason == reason)
        #expect(dataset.counts == [3, 3])
    }

    @Test func anImageFiledUnderTwoClassesIsRemovedFromBoth() throws {
        let folder = DatasetFolder()
        try folder.addClass("a", count: 4, from: 0)
        try folder.addClass("b", count: 4, from: 100)
        try folder.add("b", "same-as-a0.img", value: 0)
        let dataset = try LabelledDataset(folder: folder.url, decoder: FakeDecoder(), rules: rules)
        #expect(Set(dataset.removed.map(\.path)) == ["a/0.img", "b/same-as-a0.img"])
        #expect(dataset.removed.allSatisfy { $0.reason == .conflictingLabels })
        #expect(dataset.counts == [3, 4])
    }

    @Test func hiddenFilesAndFoldersAreIgnored() throws {
        let folder = DatasetFolder()
        try folder.addClass("a", count: 3, from: 0)
        try folder.addClass("b", count: 3, from: 100)
        try folder.write("a", ".DS_Store", Data("junk".utf8))
        try folder.write(".git", "HEAD", Data("ref".utf8))
        let dataset = try LabelledDataset(folder: folder.url, decoder: FakeDecoder(), rules: rules)
        #expect(dataset.classes == ["a", "b"])
        #expect(dataset.removed.isEmpty)
    }

    @Test func aClassWithTooFewUsableImagesStopsTrainingWithItsName() throws {
        let folder = DatasetFolder()
        try folder.addClass("common", count: 5, from: 0)
        try folder.addClass("rare", count: 2, from: 100)
        try folder.write("rare", "broken.img", Data("x".utf8))
        #expect {
            try LabelledDataset(folder: folder.url, decoder: FakeDecoder(), rules: rules)
        } throws: { error in
            "\(error)".contains("\"rare\" has 2 usable image(s)") && "\(error)".contains("at least 3")
        }
    }

    @Test func aFolderWithOneClassOrNoneIsNotADataset() throws {
        let folder = DatasetFolder()
        try folder.addClass("only", count: 5, from: 0)
        #expect(throws: DatasetError.self) { try LabelledDataset(folder: folder.url, decoder: FakeDecoder(), rules: rules) }
        #expect(throws: DatasetError.self) {
            try LabelledDataset(folder: folder.url.appendingPathComponent("missing"), decoder: FakeDecoder(), rules: rules)
        }
    }

    @Test func imbalanceIsReportedAndWeighedOut() throws {
        let folder = DatasetFolder()
        try folder.addClass("common", count: 9, from: 0)
        try folder.addClass("rare", count: 3, from: 100)
        let dataset = try LabelledDataset(folder: folder.url, decoder: FakeDecoder(), rules: rules)
        #expect(dataset.imbalance == 3)
        // n / (k · count): 12 / 18 and 12 / 6, so each class carries the same total weight.
        #expect(dataset.classWeights.map { ($0 * 1000).rounded() / 1000 } == [0.667, 2])
    }

    @Test func foldsAreStratifiedDisjointAndRepeatForASeed() throws {
        let folder = DatasetFolder()
        try folder.addClass("a", count: 10, from: 0)
        try folder.addClass("b", count: 5, from: 100)
        let dataset = try LabelledDataset(folder: folder.url, decoder: FakeDecoder(), rules: rules)
        let folds = dataset.folds(count: 5, seed: 7)
        #expect(folds.count == 5)
        #expect(folds.flatMap { $0 }.sorted() == Array(0..<15), "every image in exactly one fold")
        for fold in folds { #expect(fold.map { dataset.images[$0].label }.sorted() == [0, 0, 1]) }
        #expect(dataset.folds(count: 5, seed: 7) == folds)
        #expect(dataset.folds(count: 5, seed: 8) != folds)
        #expect(dataset.folds(count: 8, seed: 7).count == 5, "no more folds than the smallest class has images")
    }

    @Test func theDatasetHashDependsOnContentAndLabelsNotFileNames() throws {
        let first = DatasetFolder(), renamed = DatasetFolder(), relabelled = DatasetFolder()
        for (folder, name) in [(first, "x"), (renamed, "y")] {
            try folder.add("a", "\(name)1.img", value: 1); try folder.add("a", "\(name)2.img", value: 2); try folder.add("a", "\(name)3.img", value: 3)
            try folder.add("b", "\(name)4.img", value: 4); try folder.add("b", "\(name)5.img", value: 5); try folder.add("b", "\(name)6.img", value: 6)
        }
        try relabelled.add("a", "1.img", value: 1); try relabelled.add("a", "2.img", value: 2); try relabelled.add("a", "4.img", value: 4)
        try relabelled.add("b", "3.img", value: 3); try relabelled.add("b", "5.img", value: 5); try relabelled.add("b", "6.img", value: 6)
        let hash = { (folder: DatasetFolder) in try LabelledDataset(folder: folder.url, decoder: FakeDecoder(), rules: rules).sha256 }
        #expect(try hash(first) == hash(renamed))
        #expect(try hash(first) != hash(relabelled))
    }
}
