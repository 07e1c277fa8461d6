import Testing
import MoosicCore

@Suite struct SpotifyTrackURITests {
    @Test func formatsAndParsesTheSameURI() throws {
        let uri = SpotifyTrackURI(id: "5SuOikwiRyPMVoIQDJUgSV")
        #expect(uri.description == "spotify:track:5SuOikwiRyPMVoIQDJUgSV")
        #expect(try SpotifyTrackURI(parsing: uri.description) == uri)
        #expect(try SpotifyTrackURI(parsing: "spotify:track:0000000000000000000000").id == "0000000000000000000000")
    }

    @Test func anythingButATrackWithASpotifyIDIsBadInput() {
        for text in ["", "spotify:track:", "spotify:episode:5SuOikwiRyPMVoIQDJUgSV", "5SuOikwiRyPMVoIQDJUgSV",
                     "spotify:track:5SuOikwiRyPMVoIQDJUgS", "spotify:track:5SuOikwiRyPMVoIQDJUgSVx",
                     "spotify:track:5SuOikwiRyPMVoIQDJUg-V", "spotify:track:5SuOikwiRyPMVoIQDJUgSV ",
                     "https://open.spotify.com/track/5SuOikwiRyPMVoIQDJUgSV", "SPOTIFY:TRACK:5SuOikwiRyPMVoIQDJUgSV"] {
            #expect(throws: MoosicError.invalidData("not a Spotify track URI: \(text)"), "\(text)") {
                try SpotifyTrackURI(parsing: text)
            }
        }
    }
}
