import Foundation
import MoosicCore
import MoosicIO
import MoosicML
import MoosicStore
import MoosicVision

extension Doctor {
    func openStore() -> (DoctorCheck, Store?) {
        let url = environment.storeURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            return (DoctorCheck("store", .warn, "no store yet at \(url.path) (the first run makes it)",
                                fix: "moosic catalog import --skip-invalid tracks.csv, or any --offline run"), nil)
        }
        let rebuild = "move \(url.path) away; `moosic catalog import` and `moosic library sync` rebuild it"
        do {
            let store = try Store(url: url, busyTimeout: 2)
            let problems = try store.integrityProblems()
            if !problems.isEmpty {
                return (DoctorCheck("store", .fail, "\(url.path) fails PRAGMA quick_check: \(problems.joined(separator: "; "))", fix: rebuild), nil)
            }
            return (DoctorCheck("store", .ok, "\(url.path) opens and passes PRAGMA quick_check"), store)
        } catch {
            return (DoctorCheck("store", .fail, ErrorReport(error).message, fix: rebuild), nil)
        }
    }

    func catalog(store: Store?, emotionModel: SongEmotionModel?) -> DoctorCheck {
        let importIt = "moosic catalog import --skip-invalid tracks.csv (the Spotify Tracks dataset)"
        guard let store else {
            return DoctorCheck("catalog", offline ? .warn : .fail, "no catalog (no usable store)"
                               + (offline ? "; --offline runs import Fixtures/catalog.csv" : ""), fix: importIt)
        }
        do {
            let counts = try store.emotionScoreCounts(model: emotionModel?.identity ?? "")
            if counts.tracks == 0 {
                return DoctorCheck("catalog", offline ? .warn : .fail, "the catalog is empty"
                                   + (offline ? "; --offline runs import Fixtures/catalog.csv" : ": online runs exit 78"), fix: importIt)
            }
            guard let emotionModel else {
                return DoctorCheck("catalog", .warn, "\(counts.tracks) tracks; no song-emotion model to check their scores against (see the models check)")
            }
            let stale = counts.tracks - counts.scoredByModel
            if stale > 0 {
                return DoctorCheck("catalog", .warn, "\(counts.tracks) tracks, \(stale) of them not scored by the current song-emotion model \(emotionModel.identity): the next recommendation scores them first",
                                   fix: "moosic catalog import again (it rescores), or just run moosic")
            }
            return DoctorCheck("catalog", .ok, "\(counts.tracks) tracks, all scored by the current song-emotion model \(emotionModel.identity)")
        } catch {
            return DoctorCheck("catalog", .fail, ErrorReport(error).message, fix: importIt)
        }
    }

    func models() -> ([DoctorCheck], SongEmotionModel?) {
        let reinstall = "reinstall moosic (Scripts/install) or point MOOSIC_MODELS at a folder with the shipped models"
        var checks: [DoctorCheck] = []
        do {
            _ = try FaceMoodReader(environment: environment)
            checks.append(DoctorCheck("face model", .ok, "face_mood.onnx loads and matches face_mood.json"))
        } catch {
            checks.append(DoctorCheck("face model", .fail, ErrorReport(error).message, fix: reinstall))
        }
        var emotionModel: SongEmotionModel?
        do {
            if let model = try SongEmotion.installedModel(environment) {
                emotionModel = model
                checks.append(DoctorCheck("emotion model", .ok, "\(SongEmotionModel.fileName) loads: \(model.features.count) features, \(model.identity)"))
            } else {
                checks.append(DoctorCheck("emotion model", .fail, "\(SongEmotionModel.fileName) is missing from \((try? environment.modelsFolder().path) ?? "the models folder")",
                                          fix: reinstall))
            }
        } catch {
            checks.append(DoctorCheck("emotion model", .fail, ErrorReport(error).message, fix: reinstall))
        }
        do {
            let forest = try RandomForest.loadGenreModel(from: environment.modelURL(GenreTraining.modelFileName))
            checks.append(DoctorCheck("genre model", .ok, "\(GenreTraining.modelFileName) loads: \(forest.classes.count) genres, \(forest.trees.count) trees, over moosic's \(forest.featureNames.count) genre features"))
        } catch {
            checks.append(DoctorCheck("genre model", .fail, ErrorReport(error).message, fix: reinstall))
        }
        return (checks, emotionModel)
    }
}
