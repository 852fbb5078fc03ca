# Desvio: o 01 ja deixa a conexao online com o id novo ("Apos esta etapa o
# cliente pode ja ficar conectado ao servidor ou nao"). O resto e a base.
from zap_base import ServidorZap, main


class Servidor(ServidorZap):
    def depois_do_registro(self, conn, novo):
        self.online[novo] = conn
        self.sessoes[conn] = novo


if __name__ == "__main__":
    main(Servidor)
