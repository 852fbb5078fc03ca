# Servidor zap de aluno, o "bem feito" da turma: a base dos servidores do
# zoo (conformance/tests/zoo/README.md). Cada variante importa esta classe e
# troca um metodo, para que o desvio estudado seja o unico.
#
# Como os alunos escrevem: uma thread por cliente, um recv() = uma mensagem
# (sem enquadramento), print para log. Fora isso segue o enunciado: 01 -> 02
# com 13 digitos, 03 entrega o que estava guardado, 05 -> 06 na hora ou
# guardado, 07 ao entregar, 08 -> 09, 10 -> 11 para o criador e os membros,
# 05 para um grupo vai para os outros membros. O estado fica num arquivo
# JSON no diretorio atual, gravado a cada mudanca (sobrevive a kill -9).
#
# Uso: python3 zap_base.py <porta>
import json
import os
import socket
import sys
import threading
import time

HOST = "127.0.0.1"
ARQUIVO = "zap_dados.json"


class ServidorZap:
    TAMANHO_RECV = 1024
    REUSEADDR = True
    PERSISTIR = True

    def __init__(self, porta):
        self.porta = porta
        self.lock = threading.RLock()
        self.online = {}  # id -> socket do cliente
        self.sessoes = {}  # socket -> id com que se conectou
        self.usuarios = []
        self.grupos = {}  # id do grupo -> [criador, membros...]
        self.pendentes = {}  # id -> [{"quadro": ..., "origem": ..., "ts": ...}]
        self.proximo = 1
        self.carregar()

    # ---- arquivo ----------------------------------------------------------
    def carregar(self):
        if not self.PERSISTIR or not os.path.exists(ARQUIVO):
            return
        with open(ARQUIVO) as f:
            dados = json.load(f)
        self.usuarios = dados["usuarios"]
        self.grupos = dados["grupos"]
        self.pendentes = dados["pendentes"]
        self.proximo = dados["proximo"]

    def salvar(self):
        if not self.PERSISTIR:
            return
        dados = {
            "usuarios": self.usuarios,
            "grupos": self.grupos,
            "pendentes": self.pendentes,
            "proximo": self.proximo,
        }
        temp = f"{ARQUIVO}.{threading.get_ident()}.tmp"
        with open(temp, "w") as f:
            json.dump(dados, f)
        os.replace(temp, ARQUIVO)

    # ---- ids e quadros ----------------------------------------------------
    def gerar_id(self):
        novo = str(5000000000000 + self.proximo)
        self.proximo += 1
        return novo

    def gerar_id_grupo(self):
        return self.gerar_id()

    def quadro_06(self, msg):
        return "06" + msg[2:]

    def quadro_07(self, destinatario, ts):
        return "07" + destinatario + ts

    def agora(self):
        return str(int(time.time())).zfill(10)

    # ---- rede -------------------------------------------------------------
    def enviar(self, conn, quadro):
        try:
            conn.sendall(quadro.encode("utf-8"))
            print(f"[>] {quadro[:60]!r}")
        except OSError as e:
            print(f"[!] erro ao enviar: {e}")

    def rodar(self):
        servidor = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if self.REUSEADDR:
            servidor.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        servidor.bind((HOST, self.porta))
        servidor.listen()
        print(f"Servidor zap ouvindo em {HOST}:{self.porta}")
        while True:
            conn, addr = servidor.accept()
            t = threading.Thread(target=self.handle_client, args=(conn, addr), daemon=True)
            t.start()

    def handle_client(self, conn, addr):
        print(f"[+] nova conexão {addr}")
        with conn:
            self.ao_conectar(conn)
            self.atender(conn, addr)
        self.desconectou(conn)
        print(f"[-] {addr} saiu")

    def atender(self, conn, addr):
        while True:
            try:
                data = conn.recv(self.TAMANHO_RECV)
            except OSError:
                break
            if not data:
                break
            try:
                msg = data.decode("utf-8")
            except UnicodeDecodeError:
                self.ignorar(conn, "mensagem não é UTF-8")
                continue
            print(f"[<] {addr}: {msg[:60]!r}")
            self.tratar(conn, msg)

    def ao_conectar(self, conn):
        pass

    def desconectou(self, conn):
        with self.lock:
            meu_id = self.sessoes.pop(conn, None)
            if meu_id is not None and self.online.get(meu_id) is conn:
                del self.online[meu_id]

    def ignorar(self, conn, motivo):
        print(f"[!] ignorado: {motivo}")

    # ---- protocolo --------------------------------------------------------
    def tratar(self, conn, msg):
        envios = []
        with self.lock:
            codigo = msg[:2]
            if codigo == "01":
                self.trata_01(conn, envios)
            elif codigo == "03":
                self.trata_03(conn, msg, envios)
            elif codigo == "05":
                self.trata_05(conn, msg, envios)
            elif codigo == "08":
                self.trata_08(conn, msg, envios)
            elif codigo == "10":
                self.trata_10(conn, msg, envios)
            else:
                self.ignorar(conn, f"código desconhecido {codigo!r}")
        for destino, quadro in envios:
            self.enviar(destino, quadro)

    def trata_01(self, conn, envios):
        novo = self.gerar_id()
        self.usuarios.append(novo)
        self.salvar()
        print(f"[*] registrado {novo}")
        envios.append((conn, "02" + novo))
        self.depois_do_registro(conn, novo)

    def depois_do_registro(self, conn, novo):
        pass

    def trata_03(self, conn, msg, envios):
        meu_id = msg[2:15]
        if meu_id not in self.usuarios:
            self.ignorar(conn, f"03 de id desconhecido {meu_id!r}")
            return
        self.online[meu_id] = conn
        self.sessoes[conn] = meu_id
        guardadas = self.pendentes.pop(meu_id, [])
        self.salvar()
        print(f"[*] {meu_id} online, {len(guardadas)} pendente(s)")
        for item in guardadas:
            envios.append((conn, item["quadro"]))
            if "origem" in item:
                self.confirmar_entrega(item["origem"], meu_id, item["ts"], envios)

    def entregar(self, destinatario, quadro, envios, origem=None, ts=None):
        """Entrega na hora se estiver online, senao guarda."""
        if destinatario in self.online:
            envios.append((self.online[destinatario], quadro))
            if origem is not None:
                self.confirmar_entrega(origem, destinatario, ts, envios)
        else:
            item = {"quadro": quadro}
            if origem is not None:
                item["origem"] = origem
                item["ts"] = ts
            self.pendentes.setdefault(destinatario, []).append(item)
            self.salvar()

    def confirmar_entrega(self, origem, destinatario, ts, envios):
        self.entregar(origem, self.quadro_07(destinatario, ts), envios)

    def trata_05(self, conn, msg, envios):
        if len(msg) < 38:
            self.ignorar(conn, "05 curto demais")
            return
        src, dst, ts, texto = msg[2:15], msg[15:28], msg[28:38], msg[38:]
        if not ts.isdigit():
            self.ignorar(conn, "timestamp inválido")
            return
        if len(texto) > 218:
            self.ignorar(conn, "mensagem com mais de 218 caracteres")
            return
        if self.sessoes.get(conn) != src:
            self.ignorar(conn, f"05 de {src} numa conexão que não é dele")
            return
        quadro = self.quadro_06(msg)
        if dst in self.grupos:
            membros = self.grupos[dst]
            if src not in membros:
                self.ignorar(conn, "05 para grupo de quem não é membro")
                return
            for membro in membros:
                if membro != src:
                    self.entregar(membro, quadro, envios, origem=src, ts=ts)
        elif dst in self.usuarios:
            self.entregar(dst, quadro, envios, origem=src, ts=ts)
        else:
            self.ignorar(conn, f"destinatário desconhecido {dst!r}")

    def trata_08(self, conn, msg, envios):
        leitor = self.sessoes.get(conn)
        if leitor is None or len(msg) != 25:
            self.ignorar(conn, "08 inválido ou sem 03")
            return
        origem, ts = msg[2:15], msg[15:25]
        if origem not in self.usuarios or not ts.isdigit():
            self.ignorar(conn, "08 inválido")
            return
        self.entregar(origem, "09" + leitor + ts, envios)

    def trata_10(self, conn, msg, envios):
        criador, lista = msg[2:15], msg[25:]
        if len(msg) < 25 or self.sessoes.get(conn) != criador:
            self.ignorar(conn, "10 inválido ou de outro criador")
            return
        if len(lista) % 13 != 0 or len(lista) > 7 * 13:
            self.ignorar(conn, "10 com lista de membros inválida")
            return
        membros = []
        for i in range(0, len(lista), 13):
            membro = lista[i:i + 13]
            if membro not in self.usuarios:
                self.ignorar(conn, f"membro desconhecido {membro!r}")
                return
            if membro != criador and membro not in membros:
                membros.append(membro)
        grupo = self.gerar_id_grupo()
        self.grupos[grupo] = [criador] + membros
        self.salvar()
        print(f"[*] grupo {grupo} criado: {self.grupos[grupo]}")
        quadro = "11" + grupo + self.agora() + "".join(self.grupos[grupo])
        for membro in self.grupos[grupo]:
            self.entregar(membro, quadro, envios)


def main(classe=ServidorZap):
    classe(int(sys.argv[1])).rodar()


if __name__ == "__main__":
    main()
