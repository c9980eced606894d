/// Places a page's images among its blocks as figures, each with its caption: a 图1/Figure 1 line next to it, or
/// else a short line right below it (a logo's legend).
enum FigureAttacher {
    /// Images smaller than this (points, either side) are decorations, not figures.
    static let minimumSide = 12.0

    /// The blocks with figures placed, and the encoded images they name.
    static func attach(images: [RawImage], to blocks: [Block], page: Int) -> (blocks: [Block], images: [ExtractedImage]) {
        var blocks = blocks
        var extracted: [ExtractedImage] = []
        var figureNumber = 0
        for image in images.sorted(by: { $0.box.y0 < $1.box.y0 }) where image.box.width >= minimumSide && image.box.height >= minimumSide {
            figureNumber += 1
            var figure = Block(kind: .figure, page: page, box: image.box)
            if let png = image.png {
                figure.imageName = "page-\(page)-figure-\(figureNumber).png"
                extracted.append(ExtractedImage(name: figure.imageName!, data: png))
            }
            if let captionIndex = captionIndex(for: image.box, in: blocks) {
                figure.caption = blocks[captionIndex].text
                figure.lines = blocks[captionIndex].lines
                figure.box = image.box.union(blocks[captionIndex].box)
                blocks.remove(at: captionIndex)
            }
            let position = blocks.firstIndex { !$0.kind.isDiscarded && $0.box.y0 >= image.box.y0 - 1 } ?? blocks.count
            blocks.insert(figure, at: position)
        }
        return (blocks, extracted)
    }

    private static func captionIndex(for image: Box, in blocks: [Block]) -> Int? {
        let near = blocks.indices.filter { index in
            let block = blocks[index]
            guard block.kind == .caption || block.kind == .paragraph, block.lines.count <= 2 else { return false }
            let lineHeight = block.box.height / Double(max(1, block.lines.count))
            let below = block.box.y0 - image.y1, above = image.y0 - block.box.y1
            let close = (below >= -2 && below <= 3 * lineHeight) || (block.kind == .caption && above >= -2 && above <= 2 * lineHeight)
            let aligned = block.box.horizontalOverlap(image) > 0 || abs(block.box.midX - image.midX) < image.width
            return close && aligned
        }
        if let caption = near.first(where: { blocks[$0].kind == .caption }) { return caption }
        return near.first { blocks[$0].text.count <= 48 && blocks[$0].box.y0 >= image.y1 - 2 }
    }
}
