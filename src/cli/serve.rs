//! `xxgk serve`: starts the web application, or (with a subcommand) works on its data folder
//! from a script: add and list units, export, back up (docs/SERVE.md).

use super::{usage_error, EXIT_OK, EXIT_USAGE};
use crate::serve::{self, db};
use clap::{Args, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// 数据目录：数据库和上传的文件都保存在这里
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// 监听的地址和端口（默认只在本机 127.0.0.1:8080；对外请用反向代理）
    #[arg(long, value_name = "ADDR", default_value = serve::DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    /// 各单位访问本系统用的地址（如 https://xxgk.example.gov.cn），邀请链接以它开头
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// 报告年度（默认上一年）
    #[arg(long, value_name = "YEAR")]
    pub year: Option<u16>,
    /// 上传文件的大小上限，单位 MB（默认 20）
    #[arg(long, value_name = "MB", default_value_t = 20)]
    pub max_upload: usize,
    #[command(subcommand)]
    pub action: Option<ServeAction>,
}

#[derive(Subcommand, Debug)]
pub enum ServeAction {
    /// 管理单位：add 添加（打印名称和邀请链接），list 列出
    #[command(subcommand)]
    Units(UnitsAction),
    /// 导出全部已提交的报告和汇总（与 zip 下载的内容相同）
    Export {
        /// 输出目录
        #[arg(short = 'o', long = "out", value_name = "OUTDIR")]
        out: PathBuf,
        /// 年度（默认与 --year 相同）
        #[arg(long = "year", value_name = "YEAR")]
        export_year: Option<u16>,
    },
    /// 备份数据库（服务运行时也可以，得到一致的副本）
    Backup {
        /// 备份文件
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum UnitsAction {
    /// 添加单位，每个单位打印一行：名称、制表符、邀请链接
    Add {
        #[arg(required = true, value_name = "NAME")]
        names: Vec<String>,
    },
    /// 列出全部单位及其状态
    List,
}

pub fn run(a: &ServeArgs) -> i32 {
    let year = a.year.unwrap_or_else(super::default_year);
    let Some(action) = &a.action else {
        return start(a, year);
    };
    let (store, c) = match serve::open(&a.data) {
        Ok(v) => v,
        Err(e) => return usage_error(&e),
    };
    match action {
        ServeAction::Units(UnitsAction::Add { names }) => {
            let base = serve::base_url(&c, a.url.as_deref());
            match serve::add_units(&c, &base, names) {
                Ok((added, skipped)) => {
                    for (name, url) in added {
                        println!("{name}\t{url}");
                    }
                    for name in skipped {
                        eprintln!("已存在，未重复添加：{name}");
                    }
                    EXIT_OK
                }
                Err(e) => usage_error(&e),
            }
        }
        ServeAction::Units(UnitsAction::List) => match db::table(&c, year) {
            Ok(rows) => {
                for (u, s) in rows {
                    let state = if u.revoked {
                        "链接已停用"
                    } else {
                        s.state.chinese()
                    };
                    println!("{}\t{state}", u.name);
                }
                EXIT_OK
            }
            Err(e) => usage_error(&format!("数据库错误：{e}")),
        },
        ServeAction::Export { out, export_year } => {
            let y = export_year.unwrap_or(year);
            let worker = std::env::current_exe().ok();
            match serve::export::write(&c, &store, y, out, worker) {
                Ok(o) => {
                    eprintln!(
                        "已导出 {} 个单位的报告到 {}（汇总 {} 个）",
                        o.entries.len(),
                        out.display(),
                        o.summed
                    );
                    o.exit_code()
                }
                Err(e) => usage_error(&e),
            }
        }
        ServeAction::Backup { file } => {
            if file.exists() {
                return usage_error(&format!("{} 已存在，不覆盖", file.display()));
            }
            match db::backup(&c, file) {
                Ok(()) => {
                    eprintln!(
                        "已备份数据库到 {}（上传的文件在 {}，请一并复制）",
                        file.display(),
                        store.root.join("files").display()
                    );
                    EXIT_OK
                }
                Err(e) => usage_error(&format!("无法备份：{e}")),
            }
        }
    }
}

fn start(a: &ServeArgs, year: u16) -> i32 {
    let cfg = serve::Config {
        data: a.data.clone(),
        listen: a.listen,
        url: a.url.clone(),
        year,
        max_upload: a.max_upload.max(1) << 20,
        worker: std::env::current_exe().ok(),
        parallel: std::thread::available_parallelism().map_or(2, |n| n.get()),
    };
    let r = serve::run(cfg, |addr, url, setup| {
        eprintln!("xxgk serve：正在监听 http://{addr}/（{year} 年度）");
        if let Some(link) = setup {
            eprintln!("首次使用：请在浏览器中打开下面的链接设置管理密码（只能使用一次）：");
            // On standard output too, for a script that starts the server.
            println!("{link}");
            eprintln!("{link}");
        }
        eprintln!("管理页面：{url}/admin");
    });
    match r {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("错误：{e}");
            EXIT_USAGE
        }
    }
}
