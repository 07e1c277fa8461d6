import Testing
@testable import MoosicML

@Suite struct CrossValidationTests {
    @Test func aKeysFoldIsPinned() {
        // The folds of the genre forest's 90/10 split (seed 42): the shipped model's validation rows.
        #expect(["5SuOikwiRyPMVoIQDJUgSV", "4qPNDBW1i3p13qLCt0Ki3A", "x"].map {
            CrossValidation.fold(of: $0.utf8, folds: 10, seed: 42)
        } == [1, 2, 3])
        #expect(CrossValidation.folds(groups: Array(0..<8), folds: 5, seed: 1) == [0, 3, 3, 3, 4, 1, 0, 2])
    }

    @Test func foldsKeepGroupsTogetherAndAreNearlyEven() {
        let groups = (0..<2000).map { $0 / 4 * 4 + $0 % 2 }   // pairs of rows share a group
        let folds = CrossValidation.folds(groups: groups, folds: 5, seed: 1)
        for g in Set(groups) {
            #expect(Set(groups.indices.filter { groups[$0] == g }.map { folds[$0] }).count == 1)
        }
        for f in 0..<5 {
            let members = folds.filter { $0 == f }.count
            #expect(members > 300 && members < 500, "fold \(f): \(members) rows")
        }
        #expect(folds == CrossValidation.folds(groups: groups, folds: 5, seed: 1))
        #expect(folds != CrossValidation.folds(groups: groups, folds: 5, seed: 2))
    }

    @Test func aRowsFoldDoesNotDependOnTheOtherRows() {
        let all = CrossValidation.folds(groups: Array(0..<100), folds: 4, seed: 3)
        let some = CrossValidation.folds(groups: Array(50..<100).reversed(), folds: 4, seed: 3)
        #expect(Array(all[50...].reversed()) == some)
    }
}
