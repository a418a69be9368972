/// `design`: the four reference designs, and which one this world follows.
extension Views {
    public func designs() -> String {
        var out = [TextWrap.wrap("the designs the lab teaches from (`design NAME` makes this world follow one):",
                                 width: style.proseWidth, hanging: "  ")]
        for design in Design.allCases {
            let follows = world.follows(design)
            let head = "\(design.rawValue): \(design.name)" + (follows ? ", which this world follows" : "")
            out.append((follows ? "* " : "  ") + style.paint(head, follows ? .bold : .dim))
            out.append(TextWrap.wrap(design.summary, width: style.proseWidth, indent: "    "))
            out.append(TextWrap.wrap("sets: " + design.settingsText, width: style.proseWidth, indent: "    "))
        }
        if !Design.allCases.contains(where: world.follows) {
            out.append("this world follows none of them exactly")
        }
        return out.joined(separator: "\n")
    }
}
