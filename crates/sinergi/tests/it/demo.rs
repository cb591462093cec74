//! The founding case, exactly as founding-case.md gives it.

use crate::on_both;

on_both! {
    async fn the_founding_case_reads_as_the_published_story(app: TestApp) {
        app.store.load_founding_case(app.now()).await.unwrap();
        let id = sinergi_domain::demo::FOUNDING_CASE_ID;
        // Public: no login needed.
        let res = app.get(&format!("/api/v1/cases/{id}")).await;
        res.assert_status(StatusCode::OK);
        let c = res.json();
        assert_eq!(c["kind"], "ksdd_sukarela");
        assert_eq!(c["title"], "Kesepakatan Bersama antara Pemerintah Provinsi Kalimantan Tengah dan Pemerintah Provinsi Bali tentang Kerja Sama Pembangunan dan Pengembangan Potensi Daerah");
        assert_eq!(c["stage"], "KB_DITANDATANGANI");
        assert_eq!(c["fictional"], false);
        assert_eq!(c["parties"][0]["region"], "62");
        assert_eq!(c["parties"][0]["role"], "PIHAK KESATU");
        assert_eq!(c["parties"][1]["region"], "51");
        assert!(c["parties"][0]["contact"]["unit"].as_str().unwrap().starts_with("Bagian Kerja Sama, Biro Pemerintahan dan Otonomi Daerah"));
        let labels: Vec<&str> = c["fields"].as_array().unwrap().iter().map(|f| f["label"].as_str().unwrap()).collect();
        assert_eq!(labels, [
            "Pariwisata dan Kebudayaan", "Usaha Mikro, Kecil dan Menengah", "Perdagangan", "Pemberdayaan Masyarakat Desa",
            "Kelautan dan Perikanan", "Pertanian dan Peternakan", "Kehutanan dan Perkebunan", "Transmigrasi",
            "Pengembangan Sumber Daya Manusia", "Bidang lain yang disepakati bersama, sesuai kebutuhan",
        ]);
        assert_eq!(c["fields"][0]["priority"], true);
        assert!(c["fields"].as_array().unwrap()[1..].iter().all(|f| f["priority"] == false));
        assert_eq!(c["object"], "Peningkatan pembangunan dan pengembangan potensi daerah di kedua provinsi");
        assert!(c["background"].as_str().unwrap().contains("sejak 1961"));
        assert!(c["objectives"].as_array().unwrap().iter().any(|o| o.as_str().unwrap().contains("Saling mengisi")));

        let kalteng = app.get("/api/v1/regions/62/officials").await.json();
        let titles: Vec<&str> = kalteng["items"].as_array().unwrap().iter().map(|o| o["title"].as_str().unwrap()).collect();
        assert!(titles.contains(&"Pj. Sekretaris Daerah Provinsi Kalimantan Tengah"), "{titles:?}");
        assert!(titles.contains(&"Gubernur Kalimantan Tengah"));
        let bali = app.get("/api/v1/regions/51/officials").await.json();
        let names: Vec<&str> = bali["items"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Wayan Koster", "Dewa Made Indra"]);
        assert_eq!(app.get("/api/v1/regions/62/tkksd").await.json()["members"][0]["official"]["name"], "Nuryakin");

        let meetings = app.get(&format!("/api/v1/cases/{id}/meetings")).await.json();
        assert_eq!(meetings["total"], 2);
        let m0 = &meetings["items"][0];
        assert_eq!(m0["kind"], "penjajakan");
        assert_eq!(m0["date"], "2022-03-24");
        assert_eq!(m0["place"], "Kantor Gubernur Bali, Denpasar");
        assert_eq!(m0["timezone"], "WITA");
        assert_eq!(m0["start_time"], serde_json::Value::Null, "the time was not published");
        assert_eq!(m0["participants"][0]["position"], "Pj. Sekretaris Daerah Provinsi Kalimantan Tengah");
        assert_eq!(m0["participants"][1]["name"], "Dewa Made Indra");
        assert_eq!(m0["outcomes"].as_array().unwrap().len(), 3);
        assert_eq!(m0["next_steps"][0]["due_on"], "2022-03-26");
        let m1 = &meetings["items"][1];
        assert_eq!(m1["kind"], "penandatanganan");
        assert_eq!(m1["date"], "2022-03-26");
        assert_eq!(m1["place"], "Gedung Gajah, Rumah Jabatan Gubernur Bali, Denpasar");

        let agreements = app.get(&format!("/api/v1/cases/{id}/agreements")).await.json();
        assert_eq!(agreements["total"], 1);
        let kb = &agreements["items"][0];
        assert_eq!(kb["kind"], "kb");
        assert_eq!(kb["status"], "DITANDATANGANI");
        assert_eq!(kb["signed_on"], "2022-03-26");
        assert_eq!(kb["place"], "Gedung Gajah, Rumah Jabatan Gubernur Bali, Denpasar");
        for (i, (name, title)) in [("Sugianto Sabran", "Gubernur Kalimantan Tengah"), ("Wayan Koster", "Gubernur Bali")].iter().enumerate() {
            assert_eq!(kb["parties"][i]["signatory_name"], *name);
            assert_eq!(kb["parties"][i]["signatory_title"], *title);
            assert_eq!(kb["parties"][i]["number"], serde_json::Value::Null, "the numbers were not published");
            assert_eq!(kb["parties"][i]["number_unpublished"], true);
        }
        assert_eq!(kb["starts_on"], serde_json::Value::Null);

        let listed = app.get("/api/v1/cases?region=51&year=2022").await.json();
        assert_eq!(listed["total"], 1);
        let history = app.get(&format!("/api/v1/cases/{id}/history")).await.json();
        let last = history["items"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["action"], "record_signed");
        assert_eq!(last["to_stage"], "KB_DITANDATANGANI");
        assert!(last["note"].as_str().unwrap().contains("Nomor naskah tidak dipublikasikan"));
    }
}
