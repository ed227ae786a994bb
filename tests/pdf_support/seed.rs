//! Test reports shared by tests/pdf.rs and benches/pdf.rs: the seed report (廊坊市人民政府办公室
//! 2021, texts and numbers as published) and a large synthetic one.
#![allow(dead_code)]

use xxgk::model::{Count, Date, Report, Section, Signature, Subsection, Text};

pub fn seed_report() -> Report {
    let mut r = Report {
        body: "廊坊市人民政府办公室".into(),
        year: 2021,
        ..Default::default()
    };
    r.published = Date::parse("2022-01-27");
    r.show_zero = false;
    r.preface = Text(r#"依据《中华人民共和国政府信息公开条例》（以下简称《条例》）《河北省实施<中华人民共和国政府信息公开条例>办法》（以下简称《办法》）等规定编制本报告，主要内容包括：总体情况，主动公开政府信息情况，收到和处理政府信息公开申请情况，政府信息公开行政复议、行政诉讼情况，存在问题及改进情况等六部分。所列数据统计期限为2021年1月1日至2021年12月31日。"#.into());
    r.overview = Section {
        intro: Text(r#"2021年，市政府办公室坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实上级关于政务公开工作相关部署，围绕政务公开年度重点工作，紧扣“十四五”开好局起好步、宏观政策落地见效、强基础抓基层等中心工作、关键环节及群众关注关切，坚持在实践中完善，在完善中提升，持续夯实公开基础，深化公开内容，提升公开质量。"#.into()),
        subsections: vec![
            Subsection { title: "主动公开".into(), body: Text(r#"坚持把政府信息主动公开作为推进依法行政、建设法治政府的重要手段。按照公开是常态、不公开是例外的原则，对政府全体会议和常务会议讨论决定的重要事项、政府及其部门制定的涉及公共利益、公众关切、需要社会广泛知晓的政策文件，除依法需要保密外，全部及时主动准确向社会公开，提升政府信息对人民群众生产、生活和经济社会活动的服务作用。市政府门户网站全年更新各类政府信息10704条，累计通过政府信息公开专栏主动公开政策性文件、政策解读、工作动态等各类信息3066条，编制《廊坊市人民政府公报》4期，“廊坊政务”新浪微博发文2900余条，微信公众号发送文章360余次、2500余篇。"#.into()) },
            Subsection { title: "依申请公开".into(), body: Text(r#"树牢服务群众意识，严格落实《河北省政府信息公开申请办理规范》，细致准确做好政府信息公开申请登记、审核、办理、答复、归档工作，保障群众知情权。全年受理政府信息公开申请100件，经认真审查，均按《条例》等有关规定予以答复和办理。"#.into()) },
            Subsection { title: "政务新媒体".into(), body: Text(r#"加强政务新媒运行监管，将各单位政务新媒体开展运行情况纳入政务公开年度考核。一方面加强“廊坊政务”微博、微信的日常管理，每日对发布信息进行严格审核，确保不出现严重表述错误、泄漏国家秘密。全年未发生因新媒体运行管理不当引发的负面舆情等问题。另一方面加强全市新媒体监督管理，督促全市政府系统390多个政务新媒体账号责任单位在全国政务新媒体信息报送系统、省政务新媒体监测系统准确备案，对重复设置的新媒体账号进行及时清理整合，加强运维情况日常检查，发现问题及时通报并督办整改到位。"#.into()) },
            Subsection { title: "政府信息公开平台".into(), body: Text(r#"落实省公开办工作部署，按照国办政府信息与政务公开办公室《关于规范政府信息公开平台有关事项的通知》确定的标准规范，对廊坊市政府信息公开平台专栏进行优化改版，规范内容设置、增设专栏及链接，为下一步构建一体化的政府信息公开平台打好基础。"#.into()) },
            Subsection { title: "政策解读".into(), body: Text(r#"围绕中心工作加强政策解读回应。深入贯彻落实省政府领导“要加强政策宣传解读，让群众和市场主体第一时间获悉了解政策、吃透消化政策、用足用好政策”的指示要求，多次印发《政策解读通知书》，督促相关部门对有较大影响力、涉及面广、社会关注度高或者专业性强的政策性文件及时公开解读。累计在廊坊市政府信息公开平台政策解读专栏发布解读文件111篇，同比增长158%，解读形式包括文字、图解、动画、节目访谈等，力求形式新颖、发布及时。"#.into()) },
        ],
    };
    r.problems = Section { intro: Text(r#"一是信息公开机制还需进一步完善，提升信息公开数据报送准确率的保障措施有待深化。二是政府信息公开平台还需进一步规范，公众政府信息的获得感有待加强。

2022年，市政府办公室将紧紧围绕服务经济社会发展大局，不断完善工作举措，强化公开能力建设，积极回应公众关切，不断提升政府公信力。一是完善各部门的沟通协调机制，确保信息公开数据报送及时准确有效。二是落实平台建设规范，进一步优化栏目设置，做好经济社会发展、民生、疫情等与群众密切相关领域的信息发布，保障群众知情权，促进各项政策落地见效。三是提升政府信息公开申请办理质量，及时规范答复，保障群众利益诉求，提高公众信息获取满意度。"#.into()), subsections: vec![] };
    r.other = Section {
        intro: Text(
            r#"2021年，市政府办公室依据《政府信息公开信息处理费管理办法》，未收取信息处理费。"#
                .into(),
        ),
        subsections: vec![],
    };
    r.table2.documents = [
        [Count::new(3), Count::new(0), Count::new(8)],
        [Count::new(22), Count::new(11), Count::new(48)],
    ];
    let t3 = &mut r.table3.cells;
    t3[0][0] = Count::new(99);
    t3[0][1] = Count::new(1);
    t3[2][0] = Count::new(1);
    t3[12][0] = Count::new(97);
    t3[12][1] = Count::new(1);
    t3[16][0] = Count::new(1);
    r.compute_totals();
    r.table4.cells[0][0] = Count::new(2);
    r.table4.cells[1][0] = Count::new(2);
    r.compute_totals();
    r.signature = Some(Signature {
        body: "廊坊市人民政府办公室".into(),
        date: Date::parse("2022-01-27"),
    });
    r
}

/// A large report: thousands of applications in every cell, long notes, five long subsections
/// in every text section.
pub fn large_report() -> Report {
    let mut r = seed_report();
    r.body = "某某省某某市某某区人民政府办公室（区政务服务管理办公室）".into();
    r.show_zero = true;
    let long = seed_report().overview.subsections;
    let mk = |k: usize| -> Section {
        Section {
            intro: Text(format!("{}\n\n{}", long[k % 5].body.0, long[(k + 1) % 5].body.0)),
            subsections: (0..5)
                .map(|j| Subsection {
                    title: long[(j + k) % 5].title.clone(),
                    body: Text(format!("{}\n\n{}“十四五”规划（2021—2025年）第2轮共10704条、7730.28万元、同比增长158%。{}", long[(j + k) % 5].body.0, long[j].body.0, long[(j + 2) % 5].body.0)),
                })
                .collect(),
        }
    };
    r.overview = mk(0);
    r.problems = mk(1);
    r.other = mk(2);
    for (i, row) in r.table3.cells.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate().take(6) {
            *cell = Count::new(((i * 7 + c * 13) % 50) as u64 * 97 + 1000);
        }
    }
    r.table2.documents[0][0] = Count {
        value: 22,
        note: Some("其中修订16件".into()),
    };
    r.table2.decisions = [Count::new(123456), Count::new(98765), Count::new(4321)];
    r.table2.fee.value = xxgk::model::Decimal::parse("59237.2449").unwrap();
    for g in 0..3 {
        for c in 0..4 {
            r.table4.cells[g][c] = Count::new((g * 4 + c) as u64 * 11 + 3);
        }
    }
    r.compute_totals();
    r
}
